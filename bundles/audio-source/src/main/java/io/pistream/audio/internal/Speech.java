package io.pistream.audio.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Clock;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text-to-speech as a live source: silence mixed with speech. Each text is rendered by espeak in a pipeline of
 * its own, then scheduled into the live stream at the current running time, after what is already queued.
 */
final class Speech {

    private static final Logger LOG = LoggerFactory.getLogger(Speech.class);
    private static final long RENDER_TIMEOUT_SECONDS = 20;
    /** Speech is scheduled this far ahead of "now", so that it reaches the mixer in time even on a busy CPU. */
    private static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final AudioSettings settings;
    private volatile AppSrc speech;
    private long queuedUntil;

    Speech(AudioSettings settings) {
        this.settings = settings;
    }

    /** {@code audiotestsrc wave=silence} and an {@code appsrc} of speech into an {@code audiomixer}. */
    Bin build(String name) throws MediaException {
        Element silence = Elements.make("audiotestsrc", null);
        silence.set("is-live", true);
        silence.setAsString("wave", "silence");
        Element silenceCaps = Elements.capsFilter(null, settings.rawCaps());
        AppSrc source = (AppSrc) Elements.make("appsrc", "speech");
        source.setCaps(Caps.fromString(settings.rawCaps()));
        source.set("format", 3); // GST_FORMAT_TIME: buffers carry running-time timestamps set in say()
        source.set("is-live", true);
        source.set("max-bytes", 16L * 1024 * 1024);
        source.set("min-latency", 0L);
        Element mixer = Elements.make("audiomixer", null);
        // the speech pad is silent most of the time: mix whatever has data instead of waiting for it
        mixer.set("ignore-inactive-pads", true);
        mixer.set("latency", 50_000_000L); // tolerate a little jitter of the speech pushed from Java
        Element convert = Elements.make("audioconvert", null);
        Element caps = Elements.capsFilter(null, settings.rawCaps());
        Bin bin = new Bin(name);
        bin.addMany(silence, silenceCaps, source, mixer, convert, caps);
        if (!Element.linkMany(silence, silenceCaps, mixer, convert, caps) || !source.link(mixer)) {
            throw new MediaException("Cannot link the text-to-speech bin of " + settings.id());
        }
        bin.addPad(new org.freedesktop.gstreamer.GhostPad("src", caps.getStaticPad("src")));
        speech = source;
        queuedUntil = 0;
        if (!settings.text().isEmpty()) {
            // speak the configured text once the stream runs (the first request for data)
            boolean[] spoken = {false};
            source.connect((AppSrc.NEED_DATA) (element, size) -> {
                if (!spoken[0]) {
                    spoken[0] = true;
                    CompletableFuture.runAsync(() -> sayQuietly(settings.text()));
                }
            });
        }
        return bin;
    }

    private void sayQuietly(String text) {
        try {
            say(text);
        } catch (MediaException e) {
            LOG.warn("{}: {}", settings.id(), e.getMessage());
        }
    }

    synchronized void say(String text) throws MediaException {
        AppSrc source = speech;
        Clock clock = source == null ? null : source.getClock();
        if (clock == null) {
            throw new MediaException("Text-to-speech source '" + settings.id()
                    + "' is not running: nobody would hear it. Watch or record it first.");
        }
        List<byte[]> pcm = render(text);
        long now = clock.getTime() - source.getBaseTime();
        long at = Math.max(now + LEAD_NANOS, queuedUntil);
        long bytesPerSecond = 2L * settings.channels() * settings.rate();
        for (byte[] chunk : pcm) {
            long duration = chunk.length * 1_000_000_000L / bytesPerSecond;
            Buffer buffer = new Buffer(chunk.length);
            ByteBuffer data = buffer.map(true);
            data.put(chunk);
            buffer.unmap();
            buffer.setPresentationTimestamp(at);
            buffer.setDuration(duration);
            source.pushBuffer(buffer);
            at += duration;
        }
        queuedUntil = at;
        LOG.info("{}: saying \"{}\" ({} ms)", settings.id(), text, (at - Math.max(now + LEAD_NANOS, 0)) / 1_000_000);
    }

    /** Renders the text to PCM of the source's caps with espeak, in a pipeline that ends with the text. */
    private List<byte[]> render(String text) throws MediaException {
        Element espeak = Elements.make("espeak", null);
        espeak.set("text", text);
        espeak.set("voice", settings.voice());
        AppSink sink = (AppSink) Elements.make("appsink", null);
        sink.set("sync", false);
        Pipeline pipeline = new Pipeline("speech-" + settings.id());
        Element[] chain = {espeak, Elements.make("audioconvert", null), Elements.make("audioresample", null),
            Elements.capsFilter(null, settings.rawCaps()), sink};
        pipeline.addMany(chain);
        Element.linkMany(chain);
        CompletableFuture<String> failure = new CompletableFuture<>();
        pipeline.getBus().connect((Bus.ERROR) (origin, code, message) -> {
            failure.complete(message);
            pipeline.setState(State.NULL); // unblocks pullSample
        });
        List<byte[]> chunks = new ArrayList<>();
        // the appsink must be running before anything is pulled: pulling from a stopped appsink returns nothing
        pipeline.play();
        CompletableFuture<Void> pulling = CompletableFuture.runAsync(() -> {
            Sample sample;
            while ((sample = sink.pullSample()) != null) {
                ByteBuffer data = sample.getBuffer().map(false);
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                sample.getBuffer().unmap();
                sample.dispose();
                chunks.add(bytes);
            }
        });
        try {
            pulling.get(RENDER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new MediaException("espeak did not finish within " + RENDER_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new MediaException("Speech synthesis failed: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException("Interrupted while speaking", e);
        } finally {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }
        if (failure.isDone()) {
            throw new MediaException("Speech synthesis failed: " + failure.getNow(""));
        }
        if (chunks.isEmpty()) {
            throw new MediaException("espeak produced no sound for \"" + text + "\"");
        }
        return chunks;
    }
}
