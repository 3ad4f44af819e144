package io.pistream.webrtc.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw GObject/GStreamer calls around {@code webrtcbin} that gst1-java-core 1.4.0 does not offer or gets wrong:
 * promises whose errors are reported (its {@code setRemoteDescription} interrupts the promise and leaks the
 * description), transceivers, the ICE agent ({@code GstWebRTCNice} has no Java class), statistics and signals.
 * <p>
 * Signals are connected with a handful of <em>static</em> callbacks that can never be garbage collected; each
 * connection carries a numeric key as user data, looked up in a registry. A session unregisters its key when it
 * ends, so a late signal from a dying webrtcbin finds nothing and does nothing.
 */
public final class WebRtcNative {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcNative.class);

    // GstWebRTCSDPType
    public static final int SDP_OFFER = 1;
    public static final int SDP_ANSWER = 3;
    // GstWebRTCRTPTransceiverDirection
    public static final int DIRECTION_INACTIVE = 1;
    public static final int DIRECTION_SENDONLY = 2;
    public static final int DIRECTION_RECVONLY = 3;
    public static final int DIRECTION_SENDRECV = 4;
    // GstWebRTCBundlePolicy
    public static final int BUNDLE_MAX_BUNDLE = 3;
    // GstWebRTCPeerConnectionState
    public static final int PC_NEW = 0;
    public static final int PC_CONNECTING = 1;
    public static final int PC_CONNECTED = 2;
    public static final int PC_DISCONNECTED = 3;
    public static final int PC_FAILED = 4;
    public static final int PC_CLOSED = 5;
    // GstWebRTCICEConnectionState
    public static final int ICE_CONNECTED = 2;
    public static final int ICE_COMPLETED = 3;
    public static final int ICE_FAILED = 4;
    public static final int ICE_DISCONNECTED = 5;
    // GstPromiseResult
    private static final int PROMISE_REPLIED = 2;
    // GstPadProbeType / GstPadProbeReturn
    public static final int PROBE_BUFFER = 1 << 4;
    public static final int PROBE_EVENT_UPSTREAM = 1 << 7;
    public static final int PROBE_OK = 1;

    private static final String[] PC_STATES = {"new", "connecting", "connected", "disconnected", "failed", "closed"};
    private static final String[] ICE_STATES =
            {"new", "checking", "connected", "completed", "failed", "disconnected", "closed"};

    private WebRtcNative() {
    }

    public static String connectionStateName(int state) {
        return state >= 0 && state < PC_STATES.length ? PC_STATES[state] : "state " + state;
    }

    public static String iceStateName(int state) {
        return state >= 0 && state < ICE_STATES.length ? ICE_STATES[state] : "state " + state;
    }

    // --- libraries --------------------------------------------------------------------------------------------

    /** libgobject-2.0; the varargs functions need interface mapping. */
    interface GObjectLib extends Library {
        GObjectLib INSTANCE = Native.load("gobject-2.0", GObjectLib.class);

        void g_signal_emit_by_name(Pointer instance, String signal, Object... args);

        void g_object_set(Pointer object, String property, Object... valueThenNull);

        void g_object_get(Pointer object, String property, Object... locationThenNull);

        Pointer g_object_ref(Pointer object);

        void g_object_unref(Pointer object);

        Pointer g_value_get_boxed(Pointer value);

        int g_value_get_enum(Pointer value);

        NativeLong g_signal_connect_data(Pointer instance, String signal, Callback handler, Pointer data,
                Pointer destroyData, int flags);
    }

    /** libgstreamer-1.0. */
    interface GstLib extends Library {
        GstLib INSTANCE = Native.load("gstreamer-1.0", GstLib.class);

        Pointer gst_promise_new_with_change_func(PromiseChange func, Pointer userData, Pointer destroy);

        int gst_promise_wait(Pointer promise);

        Pointer gst_promise_get_reply(Pointer promise);

        void gst_promise_interrupt(Pointer promise);

        void gst_mini_object_unref(Pointer object);

        Pointer gst_structure_get_value(Pointer structure, String field);

        boolean gst_structure_has_field(Pointer structure, String field);

        int gst_structure_n_fields(Pointer structure);

        String gst_structure_nth_field_name(Pointer structure, int index);

        String gst_structure_get_name(Pointer structure);

        boolean gst_structure_get_uint64(Pointer structure, String field, LongByReference value);

        boolean gst_structure_get_int64(Pointer structure, String field, LongByReference value);

        boolean gst_structure_get_double(Pointer structure, String field, DoubleByReference value);

        boolean gst_structure_get_int(Pointer structure, String field, IntByReference value);

        boolean gst_structure_get_uint(Pointer structure, String field, IntByReference value);

        String gst_structure_get_string(Pointer structure, String field);

        Pointer gst_structure_to_string(Pointer structure);

        NativeLong gst_structure_get_type();

        Pointer gst_caps_from_string(String caps);

        Pointer gst_pad_get_current_caps(Pointer pad);

        Pointer gst_caps_to_string(Pointer caps);

        Pointer gst_caps_get_structure(Pointer caps, int index);

        Pointer gst_element_request_pad_simple(Pointer element, String name);

        Pointer gst_element_get_static_pad(Pointer element, String name);

        void gst_element_release_request_pad(Pointer element, Pointer pad);

        Pointer gst_object_ref(Pointer object);

        void gst_object_unref(Pointer object);

        NativeLong gst_pad_add_probe(Pointer pad, int mask, PadProbe callback, Pointer data, Pointer destroy);

        Pointer gst_pad_probe_info_get_event(Pointer info);

        Pointer gst_pad_probe_info_get_buffer(Pointer info);

        int gst_pad_link(Pointer src, Pointer sink);

        void g_free(Pointer memory);
    }

    /** libgstwebrtc-1.0. */
    interface WebRtcLib extends Library {
        WebRtcLib INSTANCE = Native.load("gstwebrtc-1.0", WebRtcLib.class);

        /** Takes ownership of {@code sdp}. */
        Pointer gst_webrtc_session_description_new(int type, Pointer sdp);

        void gst_webrtc_session_description_free(Pointer description);
    }

    /** libgstsdp-1.0. */
    interface SdpLib extends Library {
        SdpLib INSTANCE = Native.load("gstsdp-1.0", SdpLib.class);

        int gst_sdp_message_new_from_text(String text, PointerByReference message);

        Pointer gst_sdp_message_as_text(Pointer message);

        int gst_sdp_message_medias_len(Pointer message);

        void gst_sdp_message_free(Pointer message);
    }

    /** libgstvideo-1.0. */
    interface VideoLib extends Library {
        VideoLib INSTANCE = Native.load("gstvideo-1.0", VideoLib.class);

        boolean gst_video_event_is_force_key_unit(Pointer event);
    }

    // --- callbacks --------------------------------------------------------------------------------------------

    interface PromiseChange extends Callback {
        void invoke(Pointer promise, Pointer userData);
    }

    interface PadProbe extends Callback {
        int invoke(Pointer pad, Pointer info, Pointer userData);
    }

    interface IceCandidateSignal extends Callback {
        void invoke(Pointer webrtcbin, int mlineIndex, String candidate, Pointer userData);
    }

    interface ElementSignal extends Callback {
        void invoke(Pointer element, Pointer userData);
    }

    interface PadSignal extends Callback {
        void invoke(Pointer element, Pointer pad, Pointer userData);
    }

    interface NotifySignal extends Callback {
        void invoke(Pointer object, Pointer paramSpec, Pointer userData);
    }

    /** What a webrtcbin (or a pad probe) reports. Called on GStreamer threads: do little, never block. */
    public interface Handler {
        default void onIceCandidate(int mlineIndex, String candidate) {
        }

        default void onNegotiationNeeded() {
        }

        /** A new source pad of the webrtcbin, borrowed for the duration of the call. */
        default void onPadAdded(Pointer pad) {
        }

        default void onConnectionState(int state) {
        }

        default void onIceConnectionState(int state) {
        }

        /** A force-key-unit event travelled upstream through a probed pad: a viewer sent PLI or FIR. */
        default void onKeyFrameRequest() {
        }

        /** A buffer passed a probed pad (tests count decoded frames this way). */
        default void onBuffer(Pointer pad, Pointer buffer) {
        }
    }

    private static final AtomicLong KEYS = new AtomicLong();
    private static final Map<Long, Handler> HANDLERS = new ConcurrentHashMap<>();
    private static final Map<Long, PromiseWaiter> PROMISES = new ConcurrentHashMap<>();

    // Static, so never collected: a collected JNA callback that native code still calls crashes the JVM.
    private static final IceCandidateSignal ON_ICE_CANDIDATE = (element, mline, candidate, data) ->
            dispatch(data, handler -> handler.onIceCandidate(mline, candidate));
    private static final ElementSignal ON_NEGOTIATION_NEEDED = (element, data) ->
            dispatch(data, Handler::onNegotiationNeeded);
    private static final PadSignal ON_PAD_ADDED = (element, pad, data) ->
            dispatch(data, handler -> handler.onPadAdded(pad));
    private static final NotifySignal ON_CONNECTION_STATE = (object, spec, data) -> {
        Handler handler = HANDLERS.get(Pointer.nativeValue(data));
        if (handler != null) {
            int state = getInt(object, "connection-state");
            guard(() -> handler.onConnectionState(state));
        }
    };
    private static final NotifySignal ON_ICE_CONNECTION_STATE = (object, spec, data) -> {
        Handler handler = HANDLERS.get(Pointer.nativeValue(data));
        if (handler != null) {
            int state = getInt(object, "ice-connection-state");
            guard(() -> handler.onIceConnectionState(state));
        }
    };
    private static final PadProbe ON_UPSTREAM_EVENT = (pad, info, data) -> {
        Handler handler = HANDLERS.get(Pointer.nativeValue(data));
        if (handler != null) {
            Pointer event = GstLib.INSTANCE.gst_pad_probe_info_get_event(info);
            if (event != null && VideoLib.INSTANCE.gst_video_event_is_force_key_unit(event)) {
                guard(handler::onKeyFrameRequest);
            }
        }
        return PROBE_OK;
    };
    private static final PadProbe ON_BUFFER = (pad, info, data) -> {
        Handler handler = HANDLERS.get(Pointer.nativeValue(data));
        if (handler != null) {
            Pointer buffer = GstLib.INSTANCE.gst_pad_probe_info_get_buffer(info);
            guard(() -> handler.onBuffer(pad, buffer));
        }
        return PROBE_OK;
    };
    private static final PromiseChange ON_PROMISE = (promise, data) -> {
        PromiseWaiter waiter = PROMISES.remove(Pointer.nativeValue(data));
        if (waiter != null) {
            waiter.changed(promise);
        }
    };

    static {
        for (Callback callback : new Callback[] {ON_ICE_CANDIDATE, ON_NEGOTIATION_NEEDED, ON_PAD_ADDED,
                ON_CONNECTION_STATE, ON_ICE_CONNECTION_STATE, ON_UPSTREAM_EVENT, ON_BUFFER, ON_PROMISE}) {
            // stay attached: detaching after every call logs "could not detach thread" on GStreamer threads
            Native.setCallbackThreadInitializer(callback, new CallbackThreadInitializer(true, false, "gst-webrtc"));
        }
    }

    private static void dispatch(Pointer data, Consumer<Handler> call) {
        Handler handler = HANDLERS.get(Pointer.nativeValue(data));
        if (handler != null) {
            guard(() -> call.accept(handler));
        }
    }

    private static void guard(Runnable runnable) {
        try {
            runnable.run();
        } catch (RuntimeException | Error e) {
            LOG.error("WebRTC callback failed", e);
        }
    }

    /** Registers a handler; the key is given to {@link #connectSignals} and {@link #probeKeyFrameRequests}. */
    public static long register(Handler handler) {
        long key = KEYS.incrementAndGet();
        HANDLERS.put(key, handler);
        return key;
    }

    /** After this no callback reaches the handler any more (one already running may finish). */
    public static void unregister(long key) {
        HANDLERS.remove(key);
    }

    /** Handlers registered and not yet unregistered: zero once every session has ended. */
    public static int registeredHandlers() {
        return HANDLERS.size();
    }

    /** Connects on-ice-candidate, on-negotiation-needed, pad-added and the two connection-state notifications. */
    public static void connectSignals(Pointer webrtcbin, long key) {
        Pointer data = new Pointer(key);
        GObjectLib g = GObjectLib.INSTANCE;
        g.g_signal_connect_data(webrtcbin, "on-ice-candidate", ON_ICE_CANDIDATE, data, null, 0);
        g.g_signal_connect_data(webrtcbin, "on-negotiation-needed", ON_NEGOTIATION_NEEDED, data, null, 0);
        g.g_signal_connect_data(webrtcbin, "pad-added", ON_PAD_ADDED, data, null, 0);
        g.g_signal_connect_data(webrtcbin, "notify::connection-state", ON_CONNECTION_STATE, data, null, 0);
        g.g_signal_connect_data(webrtcbin, "notify::ice-connection-state", ON_ICE_CONNECTION_STATE, data, null, 0);
    }

    /** Reports force-key-unit events going upstream through {@code pad} (PLI/FIR from the viewer). */
    public static void probeKeyFrameRequests(Pointer pad, long key) {
        GstLib.INSTANCE.gst_pad_add_probe(pad, PROBE_EVENT_UPSTREAM, ON_UPSTREAM_EVENT, new Pointer(key), null);
    }

    /** Reports every buffer through {@code pad}. */
    public static void probeBuffers(Pointer pad, long key) {
        GstLib.INSTANCE.gst_pad_add_probe(pad, PROBE_BUFFER, ON_BUFFER, new Pointer(key), null);
    }

    // --- properties and action signals ------------------------------------------------------------------------

    public static int getInt(Pointer object, String property) {
        IntByReference value = new IntByReference();
        GObjectLib.INSTANCE.g_object_get(object, property, value, null);
        return value.getValue();
    }

    public static void setInt(Pointer object, String property, int value) {
        GObjectLib.INSTANCE.g_object_set(object, property, value, null);
    }

    public static void setBoolean(Pointer object, String property, boolean value) {
        GObjectLib.INSTANCE.g_object_set(object, property, value ? 1 : 0, null);
    }

    public static void setString(Pointer object, String property, String value) {
        GObjectLib.INSTANCE.g_object_set(object, property, value, null);
    }

    /** Sets a caps property; {@code null} clears it. */
    public static void setCaps(Pointer object, String property, String caps) {
        Pointer native_ = caps == null ? null : GstLib.INSTANCE.gst_caps_from_string(caps);
        if (caps != null && native_ == null) {
            throw new IllegalArgumentException("Invalid caps: " + caps);
        }
        try {
            GObjectLib.INSTANCE.g_object_set(object, property, native_, null);
        } finally {
            if (native_ != null) {
                GstLib.INSTANCE.gst_mini_object_unref(native_);
            }
        }
    }

    /**
     * Makes libnice gather host candidates on exactly these addresses. Needed for 127.0.0.1 (libnice skips
     * loopback interfaces) and a way to keep ICE off the other interfaces of the host.
     */
    public static void addLocalIpAddresses(Pointer webrtcbin, Iterable<String> addresses) {
        PointerByReference agent = new PointerByReference();
        GObjectLib.INSTANCE.g_object_get(webrtcbin, "ice-agent", agent, null);
        if (agent.getValue() == null) {
            throw new IllegalStateException("webrtcbin has no ICE agent");
        }
        try {
            for (String address : addresses) {
                IntByReference ok = new IntByReference();
                GObjectLib.INSTANCE.g_signal_emit_by_name(agent.getValue(), "add-local-ip-address", address, ok);
                if (ok.getValue() == 0) {
                    throw new IllegalArgumentException("The ICE agent refused local address " + address);
                }
            }
        } finally {
            GObjectLib.INSTANCE.g_object_unref(agent.getValue());
        }
    }

    /** {@code turn(s)://user:password@host:port}; returns whether webrtcbin accepted it. */
    public static boolean addTurnServer(Pointer webrtcbin, String uri) {
        IntByReference ok = new IntByReference();
        GObjectLib.INSTANCE.g_signal_emit_by_name(webrtcbin, "add-turn-server", uri, ok);
        return ok.getValue() != 0;
    }

    public static void addIceCandidate(Pointer webrtcbin, int mlineIndex, String candidate) {
        GObjectLib.INSTANCE.g_signal_emit_by_name(webrtcbin, "add-ice-candidate", mlineIndex, candidate);
    }

    /**
     * Requests {@code sink_<index>} and configures its transceiver: direction, codec preferences, NACK/RTX.
     *
     * @return the pad (the caller owns the reference)
     */
    public static Pointer requestSendPad(Pointer webrtcbin, int index, int direction, String codecPreferences,
            boolean nack) {
        Pointer pad = GstLib.INSTANCE.gst_element_request_pad_simple(webrtcbin, "sink_" + index);
        if (pad == null) {
            throw new IllegalStateException("webrtcbin refused pad sink_" + index);
        }
        PointerByReference transceiver = new PointerByReference();
        GObjectLib.INSTANCE.g_object_get(pad, "transceiver", transceiver, null);
        try {
            setInt(transceiver.getValue(), "direction", direction);
            setCaps(transceiver.getValue(), "codec-preferences", codecPreferences);
            if (nack) {
                setBoolean(transceiver.getValue(), "do-nack", true);
            }
        } finally {
            GObjectLib.INSTANCE.g_object_unref(transceiver.getValue());
        }
        return pad;
    }

    /** Replaces the codec preferences of the transceiver behind a sink pad. */
    public static void setPadCodecPreferences(Pointer pad, String codecPreferences) {
        PointerByReference transceiver = new PointerByReference();
        GObjectLib.INSTANCE.g_object_get(pad, "transceiver", transceiver, null);
        try {
            setCaps(transceiver.getValue(), "codec-preferences", codecPreferences);
        } finally {
            GObjectLib.INSTANCE.g_object_unref(transceiver.getValue());
        }
    }

    /** A transceiver of webrtcbin as it stands after a remote offer: its m-line and kind. */
    public record Transceiver(int index, int mlineIndex) {
    }

    /** The transceivers webrtcbin has (after set-remote-description, one per m-line of the offer). */
    public static List<Transceiver> transceivers(Pointer webrtcbin) {
        List<Transceiver> result = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            PointerByReference transceiver = new PointerByReference();
            GObjectLib.INSTANCE.g_signal_emit_by_name(webrtcbin, "get-transceiver", i, transceiver);
            if (transceiver.getValue() == null) {
                break;
            }
            try {
                result.add(new Transceiver(i, getInt(transceiver.getValue(), "mlineindex")));
            } finally {
                GObjectLib.INSTANCE.g_object_unref(transceiver.getValue());
            }
        }
        return result;
    }

    /** Sets direction and codec preferences of webrtcbin's transceiver number {@code index}. */
    public static void configureTransceiver(Pointer webrtcbin, int index, int direction, String codecPreferences) {
        PointerByReference transceiver = new PointerByReference();
        GObjectLib.INSTANCE.g_signal_emit_by_name(webrtcbin, "get-transceiver", index, transceiver);
        if (transceiver.getValue() == null) {
            throw new IllegalStateException("webrtcbin has no transceiver " + index);
        }
        try {
            setInt(transceiver.getValue(), "direction", direction);
            setCaps(transceiver.getValue(), "codec-preferences", codecPreferences);
        } finally {
            GObjectLib.INSTANCE.g_object_unref(transceiver.getValue());
        }
    }

    /** Adds a transceiver (for a receive-only peer) with the given direction and caps. */
    public static void addTransceiver(Pointer webrtcbin, int direction, String caps) {
        Pointer nativeCaps = GstLib.INSTANCE.gst_caps_from_string(caps);
        PointerByReference transceiver = new PointerByReference();
        try {
            GObjectLib.INSTANCE.g_signal_emit_by_name(webrtcbin, "add-transceiver", direction, nativeCaps, transceiver);
        } finally {
            GstLib.INSTANCE.gst_mini_object_unref(nativeCaps);
        }
        if (transceiver.getValue() != null) {
            GObjectLib.INSTANCE.g_object_unref(transceiver.getValue());
        }
    }

    /** The current caps of a pad as text, or {@code null}. */
    public static String padCaps(Pointer pad) {
        Pointer caps = GstLib.INSTANCE.gst_pad_get_current_caps(pad);
        if (caps == null) {
            return null;
        }
        try {
            return takeString(GstLib.INSTANCE.gst_caps_to_string(caps));
        } finally {
            GstLib.INSTANCE.gst_mini_object_unref(caps);
        }
    }

    private static String takeString(Pointer text) {
        if (text == null) {
            return null;
        }
        try {
            return text.getString(0);
        } finally {
            GstLib.INSTANCE.g_free(text);
        }
    }

    // --- promises ---------------------------------------------------------------------------------------------

    /** Thrown when webrtcbin answers a request with an error, or does not answer in time. */
    public static final class WebRtcException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public WebRtcException(String message) {
            super(message);
        }
    }

    private static final class PromiseWaiter {
        final String what;
        final Function<Pointer, ?> reader;
        final CompletableFuture<Object> future = new CompletableFuture<>();

        PromiseWaiter(String what, Function<Pointer, ?> reader) {
            this.what = what;
            this.reader = reader;
        }

        /** On the thread that replied or interrupted; the promise is freed here. */
        void changed(Pointer promise) {
            try {
                int result = GstLib.INSTANCE.gst_promise_wait(promise);
                if (result != PROMISE_REPLIED) {
                    future.completeExceptionally(new WebRtcException(what + ": webrtcbin did not answer"
                            + (result == 1 ? " in time" : " (promise result " + result + ")")));
                    return;
                }
                Pointer reply = GstLib.INSTANCE.gst_promise_get_reply(promise);
                String error = reply == null ? null : errorOf(reply);
                if (error != null) {
                    future.completeExceptionally(new WebRtcException(what + " failed: " + error));
                } else {
                    future.complete(reader.apply(reply));
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            } finally {
                GstLib.INSTANCE.gst_mini_object_unref(promise);
            }
        }
    }

    private static String errorOf(Pointer reply) {
        if (!GstLib.INSTANCE.gst_structure_has_field(reply, "error")) {
            return null;
        }
        Pointer value = GstLib.INSTANCE.gst_structure_get_value(reply, "error");
        Pointer error = value == null ? null : GObjectLib.INSTANCE.g_value_get_boxed(value);
        // GError: GQuark domain; gint code; gchar *message
        Pointer message = error == null ? null : error.getPointer(8);
        return message == null ? "unknown error" : message.getString(0);
    }

    /**
     * Emits an action signal that takes a promise as its last argument and completes with what {@code reader}
     * makes of the reply structure ({@code null} for an empty reply). Completes exceptionally on an error reply
     * or when nothing came within the timeout (the promise is then interrupted).
     */
    @SuppressWarnings("unchecked")
    public static <T> CompletableFuture<T> request(Pointer webrtcbin, String signal, Object firstArgument,
            Function<Pointer, T> reader, ScheduledExecutorService timer, long timeoutMillis) {
        long key = KEYS.incrementAndGet();
        PromiseWaiter waiter = new PromiseWaiter(signal, reader);
        PROMISES.put(key, waiter);
        Pointer promise = GstLib.INSTANCE.gst_promise_new_with_change_func(ON_PROMISE, new Pointer(key), null);
        try {
            GObjectLib.INSTANCE.g_signal_emit_by_name(webrtcbin, signal, firstArgument, promise);
        } catch (RuntimeException e) {
            PROMISES.remove(key);
            GstLib.INSTANCE.gst_mini_object_unref(promise);
            return CompletableFuture.failedFuture(e);
        }
        timer.schedule(() -> {
            if (PROMISES.containsKey(key)) {
                GstLib.INSTANCE.gst_promise_interrupt(promise); // calls ON_PROMISE, which frees it
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        return (CompletableFuture<T>) waiter.future;
    }

    /** Promises handed to webrtcbin and not yet answered. */
    public static int pendingPromises() {
        return PROMISES.size();
    }

    /** create-offer / create-answer: completes with the SDP text. */
    public static CompletableFuture<String> createDescription(Pointer webrtcbin, boolean offer,
            ScheduledExecutorService timer, long timeoutMillis) {
        String field = offer ? "offer" : "answer";
        return request(webrtcbin, offer ? "create-offer" : "create-answer", null, reply -> {
            if (reply == null || !GstLib.INSTANCE.gst_structure_has_field(reply, field)) {
                throw new WebRtcException("create-" + field + " returned no " + field);
            }
            Pointer description = GObjectLib.INSTANCE.g_value_get_boxed(
                    GstLib.INSTANCE.gst_structure_get_value(reply, field));
            // GstWebRTCSessionDescription: GstWebRTCSDPType type; GstSDPMessage *sdp
            Pointer sdp = description.getPointer(Native.POINTER_SIZE);
            return takeString(SdpLib.INSTANCE.gst_sdp_message_as_text(sdp));
        }, timer, timeoutMillis);
    }

    /**
     * set-local-description / set-remote-description from SDP text. Fails at once when the text is not SDP or
     * has no media; webrtcbin's own verdict arrives through the future.
     */
    public static CompletableFuture<Void> setDescription(Pointer webrtcbin, boolean local, int type, String sdpText,
            ScheduledExecutorService timer, long timeoutMillis) {
        Pointer description;
        try {
            description = parseDescription(type, sdpText);
        } catch (WebRtcException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            // webrtcbin copies the description in the signal handler, so it is freed here after the emit
            return request(webrtcbin, local ? "set-local-description" : "set-remote-description", description,
                    reply -> null, timer, timeoutMillis);
        } finally {
            WebRtcLib.INSTANCE.gst_webrtc_session_description_free(description);
        }
    }

    private static Pointer parseDescription(int type, String sdpText) {
        if (sdpText == null || !sdpText.startsWith("v=0")) {
            throw new WebRtcException("not an SDP description (it must start with v=0)");
        }
        PointerByReference message = new PointerByReference();
        int result = SdpLib.INSTANCE.gst_sdp_message_new_from_text(sdpText, message);
        if (result != 0 || message.getValue() == null) {
            throw new WebRtcException("the SDP description cannot be parsed (GstSDPResult " + result + ")");
        }
        if (SdpLib.INSTANCE.gst_sdp_message_medias_len(message.getValue()) == 0) {
            SdpLib.INSTANCE.gst_sdp_message_free(message.getValue());
            throw new WebRtcException("the SDP description has no media");
        }
        return WebRtcLib.INSTANCE.gst_webrtc_session_description_new(type, message.getValue());
    }

    // --- statistics -------------------------------------------------------------------------------------------

    /** What the statistics of a session say about what was sent and what the viewer reported back. */
    public record Stats(long bytesSent, long packetsSent, long packetsLost, double roundTripSeconds,
            long bytesReceived, long packetsReceived) {
    }

    /** get-stats for the whole webrtcbin. */
    public static CompletableFuture<Stats> stats(Pointer webrtcbin, ScheduledExecutorService timer,
            long timeoutMillis) {
        return request(webrtcbin, "get-stats", null, WebRtcNative::readStats, timer, timeoutMillis);
    }

    private static Stats readStats(Pointer reply) {
        long bytesSent = 0;
        long packetsSent = 0;
        long packetsLost = 0;
        double rtt = -1;
        long bytesReceived = 0;
        long packetsReceived = 0;
        if (reply == null) {
            return new Stats(0, 0, 0, -1, 0, 0);
        }
        GstLib gst = GstLib.INSTANCE;
        long structureType = gst.gst_structure_get_type().longValue();
        int fields = gst.gst_structure_n_fields(reply);
        for (int i = 0; i < fields; i++) {
            Pointer value = gst.gst_structure_get_value(reply, gst.gst_structure_nth_field_name(reply, i));
            // GValue starts with its GType (a gsize)
            if (value == null || Native.SIZE_T_SIZE == 8 && value.getLong(0) != structureType
                    || Native.SIZE_T_SIZE == 4 && (value.getInt(0) & 0xffffffffL) != structureType) {
                continue;
            }
            Pointer stat = GObjectLib.INSTANCE.g_value_get_boxed(value);
            Pointer typeValue = stat == null ? null : gst.gst_structure_get_value(stat, "type");
            if (typeValue == null) {
                continue;
            }
            // GstWebRTCStatsType: codec 1, inbound-rtp 2, outbound-rtp 3, remote-inbound-rtp 4, remote-outbound 5
            int type = GObjectLib.INSTANCE.g_value_get_enum(typeValue);
            if (type == 3) {
                bytesSent += uint64(stat, "bytes-sent");
                packetsSent += uint64(stat, "packets-sent");
            } else if (type == 4) {
                LongByReference lost = new LongByReference();
                IntByReference lostInt = new IntByReference();
                if (gst.gst_structure_get_int64(stat, "packets-lost", lost)) {
                    packetsLost += Math.max(0, lost.getValue());
                } else if (gst.gst_structure_get_int(stat, "packets-lost", lostInt)) {
                    packetsLost += Math.max(0, lostInt.getValue());
                }
                DoubleByReference roundTrip = new DoubleByReference();
                if (gst.gst_structure_get_double(stat, "round-trip-time", roundTrip)) {
                    rtt = Math.max(rtt, roundTrip.getValue());
                }
            } else if (type == 2) {
                bytesReceived += uint64(stat, "bytes-received");
                packetsReceived += uint64(stat, "packets-received");
                LongByReference lost = new LongByReference();
                IntByReference lostInt = new IntByReference();
                if (gst.gst_structure_get_int64(stat, "packets-lost", lost)) {
                    packetsLost += Math.max(0, lost.getValue());
                } else if (gst.gst_structure_get_int(stat, "packets-lost", lostInt)) {
                    packetsLost += Math.max(0, lostInt.getValue());
                }
            }
        }
        return new Stats(bytesSent, packetsSent, packetsLost, rtt, bytesReceived, packetsReceived);
    }

    private static long uint64(Pointer structure, String field) {
        LongByReference value = new LongByReference();
        return GstLib.INSTANCE.gst_structure_get_uint64(structure, field, value) ? value.getValue() : 0;
    }
}
