package io.pistream.rtsp.internal;

import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGLib;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.gstreamer.jna.Signals;
import io.pistream.rtsp.internal.jna.NativeEvents;

import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.NativeEnum;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * The {@code appsrc}s through which a hub media takes its buffers (none for a launch media): found in the media's
 * bin, watched for data requests, counted as video leaves, ended, and used to make the media fail.
 *
 * <p>The AppSrc wrappers keep the elements alive for as long as the hub may still push into them: they are released by
 * the garbage collector once the subscriptions are gone, never explicitly.
 */
final class FeedAppSrcs {

    /** {@code GST_RESOURCE_ERROR_NOT_FOUND}. */
    private static final int RESOURCE_ERROR_NOT_FOUND = 3;

    /** The video appsrc, or {@code null}. */
    final AppSrc video;
    /** The audio appsrc, present when the publication had audio, or {@code null}. */
    final AppSrc audio;
    /** Buffers that left the video appsrc for the payloader: what tells a slow media from a stalled one. */
    private final AtomicLong videoDelivered = new AtomicLong();
    /** The presentation time of the last video buffer that left, in the media's running time (ns), or -1. */
    private final AtomicLong lastVideoPts = new AtomicLong(-1);
    private Signals.Connection videoDeliveries;

    FeedAppSrcs(AppSrc video, AppSrc audio) {
        this.video = video;
        this.audio = audio;
    }

    /** Finds the appsrcs of a media's bin; the bin may be {@code null}. */
    static FeedAppSrcs find(Pointer bin) {
        return new FeedAppSrcs(appSrc(bin, MediaTemplates.VIDEO_SOURCE), appSrc(bin, MediaTemplates.AUDIO_SOURCE));
    }

    private static AppSrc appSrc(Pointer bin, String name) {
        Pointer element = bin == null ? null : LibGst.gst_bin_get_by_name(bin, name);
        if (element == null) {
            return null;
        }
        return Natives.callerOwnsReturn(element, AppSrc.class);
    }

    /** Counts the video that leaves, and tells the listener when an appsrc wants data. */
    void watch(NativeEvents.AppSrcListener listener) {
        if (video != null) {
            videoDeliveries = Signals.probe(Natives.getRawPointer(video.getStaticPad("src")), Signals.PROBE_BUFFER,
                    (pad, info) -> {
                        videoDelivered.incrementAndGet();
                        Pointer buffer = LibGst.gst_pad_probe_info_get_buffer(info);
                        if (buffer != null) {
                            lastVideoPts.set(GstDirect.pts(buffer));
                        }
                        return Signals.PROBE_OK;
                    });
        }
        for (AppSrc appSrc : new AppSrc[] {video, audio}) {
            if (appSrc != null) {
                NativeEvents.watchAppSrc(Natives.getRawPointer(appSrc), listener);
            }
        }
    }

    /**
     * The video appsrc as the log of a stalled media tells it: its own state, whether its streaming thread runs and
     * what its last push into the media met.
     */
    String videoSourceState() {
        if (video == null) {
            return "no video appsrc";
        }
        Pointer element = Natives.getRawPointer(video);
        Pointer pad = LibGst.gst_element_get_static_pad(element, "src");
        try {
            State[] states = states(element);
            int task = pad == null ? 1 : LibGst.gst_pad_get_task_state(pad);
            int flow = pad == null ? 0 : LibGst.gst_pad_get_last_flow_return(pad);
            return "appsrc " + states[0] + (states[1] == State.VOID_PENDING ? "" : " going to " + states[1])
                    + ", its task " + (task == 0 ? "started" : task == 2 ? "paused" : "stopped")
                    + ", last push " + flowName(flow) + ", " + lastBufferAgainstClock(element);
        } finally {
            if (pad != null) {
                LibGst.gst_object_unref(pad);
            }
        }
    }

    /** The running time of the last buffer out against the media's clock now, in ms. */
    private String lastBufferAgainstClock(Pointer element) {
        Pointer clock = LibGst.gst_element_get_clock(element);
        if (clock == null) {
            return "no clock";
        }
        try {
            long runningNow = LibGst.gst_clock_get_time(clock) - LibGst.gst_element_get_base_time(element);
            long pts = lastVideoPts.get();
            return "last buffer out at " + (pts < 0 ? "none" : pts / 1_000_000 + " ms") + " running time, clock at "
                    + runningNow / 1_000_000 + " ms";
        } finally {
            LibGst.gst_object_unref(clock);
        }
    }

    private static String flowName(int flow) {
        return switch (flow) {
            case 0 -> "ok";
            case -1 -> "not linked";
            case -2 -> "flushing";
            case -3 -> "EOS";
            case -4 -> "not negotiated";
            case -5 -> "error";
            default -> "flow " + flow;
        };
    }

    /** The current state of the media's pipeline (and the pending one), as the log of a stalled media tells it. */
    String pipelineState() {
        Pointer pipeline = pipeline();
        if (pipeline == null) {
            return "no pipeline";
        }
        try {
            State[] states = states(pipeline);
            return states[0] + (states[1] == State.VOID_PENDING ? "" : " going to " + states[1]);
        } finally {
            LibGst.gst_object_unref(pipeline);
        }
    }

    /**
     * Sets a media pipeline that settled in PAUSED to PLAYING. Called only while its players play: a live appsrc
     * takes nothing while paused, so a pipeline left there holds its buffers for ever.
     *
     * @return whether the pipeline was paused and was told to play
     */
    boolean playIfSettledInPaused() {
        Pointer pipeline = pipeline();
        if (pipeline == null) {
            return false;
        }
        try {
            State[] states = states(pipeline);
            if (states[0] != State.PAUSED || states[1] != State.VOID_PENDING) {
                return false;
            }
            LibGst.gst_element_set_state(pipeline, State.PLAYING.intValue());
            return true;
        } finally {
            LibGst.gst_object_unref(pipeline);
        }
    }

    /** The current state and the pending one, without waiting. */
    private static State[] states(Pointer pipeline) {
        IntByReference state = new IntByReference();
        IntByReference pending = new IntByReference();
        LibGst.gst_element_get_state(pipeline, state, pending, 0);
        return new State[] {NativeEnum.fromInt(State.class, State.VOID_PENDING, state.getValue()),
                NativeEnum.fromInt(State.class, State.VOID_PENDING, pending.getValue())};
    }

    /**
     * The top-level element the video appsrc is in (the media's pipeline) as a new reference, or {@code null}.
     * Native calls only: a gst1-java-core object for this pipeline would take gst-rtsp-server's bus messages (see
     * {@link LibGst#gst_object_get_parent}), and the media would never be prepared or told of its errors again.
     */
    private Pointer pipeline() {
        if (video == null) {
            return null;
        }
        Pointer top = LibGst.gst_object_get_parent(Natives.getRawPointer(video));
        if (top == null) {
            return null;
        }
        for (Pointer parent = LibGst.gst_object_get_parent(top); parent != null;
                parent = LibGst.gst_object_get_parent(top)) {
            LibGst.gst_object_unref(top);
            top = parent;
        }
        return top;
    }

    /** Stops counting and listening; the media is disposed. */
    void forget() {
        if (videoDeliveries != null) {
            videoDeliveries.close();
        }
        for (AppSrc appSrc : new AppSrc[] {video, audio}) {
            if (appSrc != null) {
                NativeEvents.forgetAppSrc(Natives.getRawPointer(appSrc));
            }
        }
    }

    void endOfStream() {
        if (video != null) {
            LibGstApp.gst_app_src_end_of_stream(Natives.getRawPointer(video));
        }
        if (audio != null) {
            LibGstApp.gst_app_src_end_of_stream(Natives.getRawPointer(audio));
        }
    }

    /** Buffers that have left the video appsrc since the media was configured. */
    long deliveredVideoBuffers() {
        return videoDelivered.get();
    }

    /** Buffers waiting in the video appsrc. */
    long queuedBuffers() {
        return video == null ? 0 : LibGstApp.gst_app_src_get_current_level_buffers(Natives.getRawPointer(video));
    }

    /** Bytes waiting in the video appsrc, or {@code -}, for diagnostics. */
    String queuedBytes() {
        return video == null ? "-" : String.valueOf(video.get("current-level-bytes"));
    }

    /** Makes the media fail with an error from its first appsrc, so that a waiting client gets an error reply. */
    void postError(String reason) {
        AppSrc target = video != null ? video : audio;
        if (target == null) {
            return;
        }
        Pointer element = Natives.getRawPointer(target);
        Pointer error = LibGLib.g_error_new_literal(LibGst.gst_resource_error_quark(),
                RESOURCE_ERROR_NOT_FOUND, "Stream unavailable: " + reason);
        try {
            LibGst.gst_element_post_message(element, LibGst.gst_message_new_error(element, error, reason));
        } finally {
            LibGLib.g_error_free(error);
        }
    }
}
