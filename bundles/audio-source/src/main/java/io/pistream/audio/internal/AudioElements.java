package io.pistream.audio.internal;

import java.util.List;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.DeviceScan;
import io.pistream.gstreamer.DeviceScan.DeviceInfo;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the capture bin of each audio type; every bin ends in the settings' raw caps. */
final class AudioElements {

    private static final Logger LOG = LoggerFactory.getLogger(AudioElements.class);

    private AudioElements() {
    }

    static Bin build(AudioSettings settings, Speech speech) throws MediaException {
        String name = "audio-" + settings.id();
        return switch (settings.type()) {
            case "test" -> testTone(name, settings);
            case "alsa" -> device(name, settings, "alsasrc");
            case "pulse" -> device(name, settings, "pulsesrc");
            case "file" -> file(name, settings);
            case "tts" -> speech.build(name);
            default -> auto(name, settings);
        };
    }

    /** The system's capture device if there is one, else the test tone. */
    private static Bin auto(String name, AudioSettings settings) throws MediaException {
        List<DeviceInfo> microphones = DeviceScan.find(DeviceScan.AUDIO_SOURCE);
        if (!microphones.isEmpty()) {
            DeviceInfo microphone = microphones.get(0);
            LOG.info("{}: using microphone {}", settings.id(), microphone.name());
            return Elements.chain(name, concat(microphone.device().createElement(null), convertTo(settings)));
        }
        LOG.info("{}: no microphone found, using the test tone", settings.id());
        return testTone(name, settings);
    }

    static Bin testTone(String name, AudioSettings settings) throws MediaException {
        Element source = Elements.make("audiotestsrc", null);
        source.set("is-live", true);
        source.setAsString("wave", settings.type().equals("test") ? settings.wave() : "sine");
        source.set("freq", (double) settings.freq());
        source.set("volume", 0.3);
        return Elements.chain(name, concat(source, convertTo(settings)));
    }

    static Bin device(String name, AudioSettings settings, String factory) throws MediaException {
        Element source = Elements.make(factory, null);
        if (!settings.device().isEmpty()) {
            source.set("device", settings.device());
        }
        return Elements.chain(name, concat(source, convertTo(settings)));
    }

    static Bin file(String name, AudioSettings settings) throws MediaException {
        Element source = Elements.make("filesrc", null);
        source.set("location", settings.file().toString());
        Element[] convert = convertTo(settings);
        Element[] paced = java.util.Arrays.copyOf(convert, convert.length + 1);
        // a file decodes as fast as it can: pace it to the clock like a microphone
        paced[convert.length] = Elements.make("clocksync", null);
        return Elements.decodeChain(name, "audio/", new Element[] {source, Elements.make("decodebin", null)}, paced);
    }

    static Element[] convertTo(AudioSettings settings) throws MediaException {
        return new Element[] {Elements.make("audioconvert", null), Elements.make("audioresample", null),
            Elements.capsFilter(null, settings.rawCaps())};
    }

    private static Element[] concat(Element first, Element[] rest) {
        Element[] all = new Element[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
