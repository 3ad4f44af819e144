package io.pistream.webrtc.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGLib;
import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstVideo;
import io.pistream.gstreamer.jna.Promises;
import io.pistream.gstreamer.jna.Signals;

/**
 * Raw GObject/GStreamer calls around {@code webrtcbin} that gst1-java-core 1.4.0 does not offer or gets wrong:
 * descriptions set through promises whose errors are reported (its {@code setRemoteDescription} interrupts the
 * promise and leaks the description), transceivers, the ICE agent ({@code GstWebRTCNice} has no Java class),
 * statistics and signals. Signals, probes and promises go through the gstreamer bundle's native layer; only
 * libgstwebrtc and libgstsdp, which no other bundle uses, are bound here.
 * <p>
 * A session registers one {@link Handler} and unregisters it when it ends, which disconnects every signal and
 * probe routed to it, so a late signal from a dying webrtcbin finds nothing and does nothing.
 */
public final class WebRtcNative {

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
    /** GST_WEBRTC_FEC_TYPE_ULP_RED of a transceiver's fec-type. */
    private static final int FEC_TYPE_ULP_RED = 1;
    /** GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE of webrtcbin's ice-gathering-state. */
    public static final int ICE_GATHERING_COMPLETE = 2;
    public static final int ICE_CONNECTED = 2;
    public static final int ICE_COMPLETED = 3;
    public static final int ICE_FAILED = 4;
    public static final int ICE_DISCONNECTED = 5;

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

    // --- libraries of this bundle alone (GStreamer, GObject and GLib are bound once, in the gstreamer bundle) ------

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

    // --- signals ----------------------------------------------------------------------------------------------

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

        /** The peer's receiver estimated the bandwidth it gets (REMB), in bits per second. */
        default void onBandwidthEstimate(long bitsPerSecond) {
        }

        /** webrtcbin made its retransmitter ({@code rtprtxsend}), which lives as long as the pipeline. */
        default void onRetransmitter(Pointer element) {
        }

        /** The peer asked for these packets again (generic NACK), by sequence number, on an RTP session thread. */
        default void onRetransmissionRequest(int[] packetIds) {
        }

        /** A buffer passed a probed pad (tests count decoded frames this way). */
        default void onBuffer(Pointer pad, Pointer buffer) {
        }
    }

    private record Registration(Handler handler, Signals.Group connections) {
    }

    private static final AtomicLong KEYS = new AtomicLong();
    private static final Map<Long, Registration> HANDLERS = new ConcurrentHashMap<>();

    /** Registers a handler; the key is given to {@link #connectSignals} and the probes. */
    public static long register(Handler handler) {
        long key = KEYS.incrementAndGet();
        HANDLERS.put(key, new Registration(handler, new Signals.Group()));
        return key;
    }

    /** After this no callback reaches the handler any more (one already running may finish). */
    public static void unregister(long key) {
        Registration registration = HANDLERS.remove(key);
        if (registration != null) {
            registration.connections.close();
        }
    }

    /** Handlers registered and not yet unregistered: zero once every session has ended. */
    public static int registeredHandlers() {
        return HANDLERS.size();
    }

    private static Registration registration(long key) {
        Registration registration = HANDLERS.get(key);
        if (registration == null) {
            throw new IllegalStateException("No handler registered as " + key);
        }
        return registration;
    }

    /** Connects on-ice-candidate, on-negotiation-needed, pad-added and the two connection-state notifications. */
    public static void connectSignals(Pointer webrtcbin, long key) {
        Registration registration = registration(key);
        Handler handler = registration.handler;
        Signals.Group group = registration.connections;
        group.add(Signals.connect(webrtcbin, "on-ice-candidate",
                (Signals.NumberAndTextHandler) (element, mline, candidate) -> handler.onIceCandidate(mline, candidate)));
        group.add(Signals.connect(webrtcbin, "on-negotiation-needed",
                (Signals.InstanceHandler) element -> handler.onNegotiationNeeded()));
        group.add(Signals.connect(webrtcbin, "pad-added",
                (Signals.ArgumentHandler) (element, pad) -> handler.onPadAdded(pad)));
        group.add(Signals.connect(webrtcbin, "notify::connection-state",
                (Signals.ArgumentHandler) (element, spec) -> handler.onConnectionState(
                        getInt(element, "connection-state"))));
        group.add(Signals.connect(webrtcbin, "notify::ice-connection-state",
                (Signals.ArgumentHandler) (element, spec) -> handler.onIceConnectionState(
                        getInt(element, "ice-connection-state"))));
    }

    /** Reports force-key-unit events going upstream through {@code pad} (PLI/FIR from the viewer). */
    public static void probeKeyFrameRequests(Pointer pad, long key) {
        Registration registration = registration(key);
        registration.connections.add(Signals.probe(pad, Signals.PROBE_EVENT_UPSTREAM, (probed, info) -> {
            Pointer event = LibGst.gst_pad_probe_info_get_event(info);
            if (event != null && LibGstVideo.gst_video_event_is_force_key_unit(event)) {
                registration.handler.onKeyFrameRequest();
            }
            return Signals.PROBE_OK;
        }));
    }

    /**
     * Keeps webrtcbin's retransmission history ({@code rtprtxsend}, 500 packets by default: 2.4 s of the top tier,
     * 8 s of a 600 kbit/s one) to {@code millis}. A lost packet is sent again only while it is that recent: on a link
     * that drops packets for want of room, every retransmission is lost too and asked for again, and a long history
     * made the device send 12 times the stream's packet rate toward a viewer capped at 1 Mbit/s. The handler hears
     * of each such element ({@link Handler#onRetransmitter}), which lives as long as the pipeline.
     */
    public static void limitRetransmissionHistory(Pointer bin, long key, int millis) {
        Registration registration = registration(key);
        registration.connections.add(Signals.connectTwoArguments(bin, "deep-element-added",
                (parent, subBin, element) -> {
                    if ("GstRtpRtxSend".equals(LibGObject.typeName(element))) {
                        setRetransmissionHistory(element, millis);
                        registration.handler.onRetransmitter(element);
                    }
                }));
    }

    /** How long an {@code rtprtxsend} keeps what it sent, to send it again when asked; 0 is no limit. */
    public static void setRetransmissionHistory(Pointer retransmitter, int millis) {
        setInt(retransmitter, "max-size-time", millis);
    }

    /**
     * Asks an {@code rtprtxsend} to send packet {@code seqnum} of stream {@code ssrc} again, as the RTP session does
     * for each packet a viewer's NACK names (the same upstream event). A packet no longer in its history is not sent.
     *
     * @return whether the element took the request
     */
    public static boolean retransmit(Pointer retransmitter, int ssrc, int seqnum) {
        Pointer request = LibGst.gst_structure_new_from_string("GstRTPRetransmissionRequest, seqnum=(uint)"
                + (seqnum & 0xffff) + ", ssrc=(uint)" + Integer.toUnsignedString(ssrc));
        if (request == null) {
            return false;
        }
        // received by its source pad, as if from downstream: gst_element_send_event would push it further upstream
        Pointer pad = LibGst.gst_element_get_static_pad(retransmitter, "src");
        if (pad == null) {
            LibGst.gst_structure_free(request);
            return false;
        }
        try {
            return LibGst.gst_pad_send_event(pad, LibGst.gst_event_new_custom(LibGst.EVENT_CUSTOM_UPSTREAM, request));
        } finally {
            LibGst.gst_object_unref(pad);
        }
    }

    /** The stream a payloader sends and the sequence number of the last packet it sent. */
    public record LastPacket(int ssrc, int seqnum) {
    }

    /** Read from a payloader's {@code stats}; null before it sent a packet. */
    public static LastPacket lastPacket(Pointer payloader) {
        PointerByReference stats = new PointerByReference();
        LibGObject.VARIADIC.g_object_get(payloader, "stats", stats, null);
        Pointer structure = stats.getValue();
        if (structure == null) {
            return null;
        }
        try {
            IntByReference ssrc = new IntByReference();
            IntByReference seqnum = new IntByReference();
            if (!LibGst.gst_structure_get_uint(structure, "ssrc", ssrc)
                    || !LibGst.gst_structure_get_uint(structure, "seqnum", seqnum)) {
                return null;
            }
            return new LastPacket(ssrc.getValue(), seqnum.getValue() & 0xffff);
        } finally {
            LibGst.gst_structure_free(structure);
        }
    }

    /** RTCP transport-layer feedback ({@code GST_RTCP_TYPE_RTPFB}) and its generic NACK format. */
    private static final int RTCP_RTPFB = 205;
    private static final int RTPFB_NACK = 1;
    /** RTCP payload-specific feedback ({@code GST_RTCP_TYPE_PSFB}) and its application-layer format (REMB's). */
    private static final int RTCP_PSFB = 206;
    private static final int PSFB_APPLICATION_LAYER = 15;

    /**
     * Reports the bandwidth estimates (REMB) the peer sends about what it receives and the packets it asks for
     * again (NACK), read from the feedback that webrtcbin's RTP session gets (one session: webrtcbin bundles every
     * stream), and makes that session send its own reports every {@code reportMillis} at least. The round trip the
     * peer's receiver reports give is that of our last sender report: at the RTP session's default (5 s), it still
     * told of a link's queue seconds after the queue had drained. Call once the session is connected.
     *
     * @return false when webrtcbin has no RTP session yet
     */
    public static boolean watchFeedback(Pointer webrtcbin, long key, long reportMillis) {
        Registration registration = registration(key);
        Pointer session = rtpSession(webrtcbin);
        if (session == null) {
            return false;
        }
        try {
            LibGObject.VARIADIC.g_object_set(session, "rtcp-min-interval",
                    TimeUnit.MILLISECONDS.toNanos(reportMillis), null);
            registration.connections.add(Signals.connectFeedback(session,
                    (rtpSession, type, format, senderSsrc, mediaSsrc, fci) -> {
                        if (type == RTCP_PSFB && format == PSFB_APPLICATION_LAYER && fci != null) {
                            long bits = Remb.bitrate(firstBytes(fci, 64));
                            if (bits >= 0) {
                                registration.handler.onBandwidthEstimate(bits);
                            }
                        } else if (type == RTCP_RTPFB && format == RTPFB_NACK && fci != null) {
                            int[] packetIds = Nack.packetIds(firstBytes(fci, 1024));
                            if (packetIds.length > 0) {
                                registration.handler.onRetransmissionRequest(packetIds);
                            }
                        }
                    }));
        } finally {
            // the connection lives as long as the RTP session, which webrtcbin owns
            LibGObject.g_object_unref(session);
        }
        return true;
    }

    /**
     * webrtcbin's RTP session (one: it bundles every stream), a reference the caller releases; null before
     * webrtcbin has made it.
     */
    public static Pointer rtpSession(Pointer webrtcbin) {
        Pointer rtpbin = LibGst.gst_bin_get_by_name(webrtcbin, "rtpbin");
        if (rtpbin == null) {
            return null;
        }
        PointerByReference session = new PointerByReference();
        try {
            LibGObject.VARIADIC.g_signal_emit_by_name(rtpbin, "get-internal-session", 0, session);
        } finally {
            LibGObject.g_object_unref(rtpbin);
        }
        return session.getValue();
    }

    private static byte[] firstBytes(Pointer buffer, int most) {
        int size = (int) Math.min(most, LibGst.gst_buffer_get_size(buffer).longValue());
        byte[] bytes = new byte[size];
        LibGst.gst_buffer_extract(buffer, new NativeLong(0), bytes, new NativeLong(size));
        return bytes;
    }

    /** Reports every buffer through {@code pad}. */
    public static void probeBuffers(Pointer pad, long key) {
        Registration registration = registration(key);
        registration.connections.add(Signals.probe(pad, Signals.PROBE_BUFFER, (probed, info) -> {
            registration.handler.onBuffer(probed, LibGst.gst_pad_probe_info_get_buffer(info));
            return Signals.PROBE_OK;
        }));
    }

    // --- properties and action signals ------------------------------------------------------------------------

    public static int getInt(Pointer object, String property) {
        IntByReference value = new IntByReference();
        LibGObject.VARIADIC.g_object_get(object, property, value, null);
        return value.getValue();
    }

    public static void setInt(Pointer object, String property, int value) {
        LibGObject.VARIADIC.g_object_set(object, property, value, null);
    }

    public static void setBoolean(Pointer object, String property, boolean value) {
        LibGObject.VARIADIC.g_object_set(object, property, value ? 1 : 0, null);
    }

    public static void setString(Pointer object, String property, String value) {
        LibGObject.VARIADIC.g_object_set(object, property, value, null);
    }

    /** Sets a caps property; {@code null} clears it. */
    public static void setCaps(Pointer object, String property, String caps) {
        Pointer native_ = caps == null ? null : LibGst.gst_caps_from_string(caps);
        if (caps != null && native_ == null) {
            throw new IllegalArgumentException("Invalid caps: " + caps);
        }
        try {
            LibGObject.VARIADIC.g_object_set(object, property, native_, null);
        } finally {
            if (native_ != null) {
                LibGst.gst_mini_object_unref(native_);
            }
        }
    }

    /**
     * Makes libnice gather host candidates on exactly these addresses. Needed for 127.0.0.1 (libnice skips
     * loopback interfaces) and a way to keep ICE off the other interfaces of the host.
     */
    public static void addLocalIpAddresses(Pointer webrtcbin, Iterable<String> addresses) {
        PointerByReference agent = new PointerByReference();
        LibGObject.VARIADIC.g_object_get(webrtcbin, "ice-agent", agent, null);
        if (agent.getValue() == null) {
            throw new IllegalStateException("webrtcbin has no ICE agent");
        }
        try {
            for (String address : addresses) {
                IntByReference ok = new IntByReference();
                LibGObject.VARIADIC.g_signal_emit_by_name(agent.getValue(), "add-local-ip-address", address, ok);
                if (ok.getValue() == 0) {
                    throw new IllegalArgumentException("The ICE agent refused local address " + address);
                }
            }
        } finally {
            LibGObject.g_object_unref(agent.getValue());
        }
    }

    /** libnice's Ta: the time between two connectivity checks, and between two STUN requests while gathering. */
    private static final String ICE_PACING_PROPERTY = "stun-pacing-timer";

    /**
     * Sends the ICE agent's connectivity checks every {@code millis} ms (libnice's Ta). Returns false, and changes
     * nothing, when webrtcbin's ICE agent is not libnice's.
     */
    public static boolean setIceCheckPacing(Pointer webrtcbin, int millis) {
        Pointer agent = niceAgent(webrtcbin);
        if (agent == null) {
            return false;
        }
        try {
            LibGObject.VARIADIC.g_object_set(agent, ICE_PACING_PROPERTY, millis, null);
            return true;
        } finally {
            LibGObject.g_object_unref(agent);
        }
    }

    /** The pacing of {@link #setIceCheckPacing(Pointer, int)}, or -1 when webrtcbin's ICE agent is not libnice's. */
    public static int iceCheckPacing(Pointer webrtcbin) {
        Pointer agent = niceAgent(webrtcbin);
        if (agent == null) {
            return -1;
        }
        try {
            IntByReference millis = new IntByReference(-1);
            LibGObject.VARIADIC.g_object_get(agent, ICE_PACING_PROPERTY, millis, null);
            return millis.getValue();
        } finally {
            LibGObject.g_object_unref(agent);
        }
    }

    /** webrtcbin's libnice agent, with a reference for the caller to release; null when it has none. */
    private static Pointer niceAgent(Pointer webrtcbin) {
        PointerByReference ice = new PointerByReference();
        LibGObject.VARIADIC.g_object_get(webrtcbin, "ice-agent", ice, null);
        if (ice.getValue() == null) {
            return null;
        }
        try {
            if (!LibGObject.hasProperty(ice.getValue(), "agent")) {
                return null;
            }
            PointerByReference agent = new PointerByReference();
            LibGObject.VARIADIC.g_object_get(ice.getValue(), "agent", agent, null);
            if (agent.getValue() != null && !LibGObject.hasProperty(agent.getValue(), ICE_PACING_PROPERTY)) {
                LibGObject.g_object_unref(agent.getValue());
                return null;
            }
            return agent.getValue();
        } finally {
            LibGObject.g_object_unref(ice.getValue());
        }
    }

    /** {@code turn(s)://user:password@host:port}; returns whether webrtcbin accepted it. */
    public static boolean addTurnServer(Pointer webrtcbin, String uri) {
        IntByReference ok = new IntByReference();
        LibGObject.VARIADIC.g_signal_emit_by_name(webrtcbin, "add-turn-server", uri, ok);
        return ok.getValue() != 0;
    }

    public static void addIceCandidate(Pointer webrtcbin, int mlineIndex, String candidate) {
        LibGObject.VARIADIC.g_signal_emit_by_name(webrtcbin, "add-ice-candidate", mlineIndex, candidate);
    }

    /**
     * Requests {@code sink_<index>} and configures its transceiver: direction, codec preferences, NACK/RTX and
     * forward error correction ({@code fecPercentage} > 0: ulpfec in red, negotiated in the SDP).
     *
     * @return the pad (the caller owns the reference)
     */
    public static Pointer requestSendPad(Pointer webrtcbin, int index, int direction, String codecPreferences,
            boolean nack, int fecPercentage) {
        Pointer pad = LibGst.gst_element_request_pad_simple(webrtcbin, "sink_" + index);
        if (pad == null) {
            throw new IllegalStateException("webrtcbin refused pad sink_" + index);
        }
        PointerByReference transceiver = new PointerByReference();
        LibGObject.VARIADIC.g_object_get(pad, "transceiver", transceiver, null);
        try {
            setInt(transceiver.getValue(), "direction", direction);
            setCaps(transceiver.getValue(), "codec-preferences", codecPreferences);
            if (nack) {
                setBoolean(transceiver.getValue(), "do-nack", true);
            }
            if (fecPercentage > 0) {
                setInt(transceiver.getValue(), "fec-type", FEC_TYPE_ULP_RED);
                setInt(transceiver.getValue(), "fec-percentage", fecPercentage);
            }
        } finally {
            LibGObject.g_object_unref(transceiver.getValue());
        }
        return pad;
    }

    /** Replaces the codec preferences of the transceiver behind a sink pad. */
    public static void setPadCodecPreferences(Pointer pad, String codecPreferences) {
        PointerByReference transceiver = new PointerByReference();
        LibGObject.VARIADIC.g_object_get(pad, "transceiver", transceiver, null);
        try {
            setCaps(transceiver.getValue(), "codec-preferences", codecPreferences);
        } finally {
            LibGObject.g_object_unref(transceiver.getValue());
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
            LibGObject.VARIADIC.g_signal_emit_by_name(webrtcbin, "get-transceiver", i, transceiver);
            if (transceiver.getValue() == null) {
                break;
            }
            try {
                result.add(new Transceiver(i, getInt(transceiver.getValue(), "mlineindex")));
            } finally {
                LibGObject.g_object_unref(transceiver.getValue());
            }
        }
        return result;
    }

    /** Sets direction and codec preferences of webrtcbin's transceiver number {@code index}. */
    public static void configureTransceiver(Pointer webrtcbin, int index, int direction, String codecPreferences) {
        PointerByReference transceiver = new PointerByReference();
        LibGObject.VARIADIC.g_signal_emit_by_name(webrtcbin, "get-transceiver", index, transceiver);
        if (transceiver.getValue() == null) {
            throw new IllegalStateException("webrtcbin has no transceiver " + index);
        }
        try {
            setInt(transceiver.getValue(), "direction", direction);
            setCaps(transceiver.getValue(), "codec-preferences", codecPreferences);
        } finally {
            LibGObject.g_object_unref(transceiver.getValue());
        }
    }

    /**
     * Makes a receiving webrtcbin ask for lost packets again (NACK) as browsers do: every transceiver it creates from
     * now on negotiates NACK and RTX (an answering webrtcbin creates them while it makes the answer, born without),
     * and its jitter buffers send the requests (webrtcbin 1.22 does not turn that on by itself).
     */
    public static void askForLostPackets(Pointer webrtcbin, long key) {
        registration(key).connections.add(Signals.connect(webrtcbin, "on-new-transceiver",
                (Signals.ArgumentHandler) (bin, transceiver) -> setBoolean(transceiver, "do-nack", true)));
        Pointer rtpbin = LibGst.gst_bin_get_by_name(webrtcbin, "rtpbin");
        if (rtpbin == null) {
            throw new IllegalStateException("webrtcbin has no rtpbin");
        }
        try {
            setBoolean(rtpbin, "do-retransmission", true);
        } finally {
            LibGObject.g_object_unref(rtpbin);
        }
    }

    /** Adds a transceiver (for a receive-only peer) with the given direction and caps. */
    public static void addTransceiver(Pointer webrtcbin, int direction, String caps) {
        Pointer nativeCaps = LibGst.gst_caps_from_string(caps);
        PointerByReference transceiver = new PointerByReference();
        try {
            LibGObject.VARIADIC.g_signal_emit_by_name(webrtcbin, "add-transceiver", direction, nativeCaps, transceiver);
        } finally {
            LibGst.gst_mini_object_unref(nativeCaps);
        }
        if (transceiver.getValue() != null) {
            LibGObject.g_object_unref(transceiver.getValue());
        }
    }

    /** The current caps of a pad as text, or {@code null}. */
    public static String padCaps(Pointer pad) {
        Pointer caps = LibGst.gst_pad_get_current_caps(pad);
        if (caps == null) {
            return null;
        }
        try {
            return GstDirect.capsToString(caps);
        } finally {
            LibGst.gst_mini_object_unref(caps);
        }
    }

    // --- promises ---------------------------------------------------------------------------------------------

    /** Thrown when an SDP description cannot be used. */
    public static final class WebRtcException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public WebRtcException(String message) {
            super(message);
        }
    }

    /** Promises handed to webrtcbin and not yet answered. */
    public static int pendingPromises() {
        return Promises.pending();
    }

    /** create-offer / create-answer: completes with the SDP text. */
    public static CompletableFuture<String> createDescription(Pointer webrtcbin, boolean offer,
            ScheduledExecutorService timer, long timeoutMillis) {
        String field = offer ? "offer" : "answer";
        return Promises.request(webrtcbin, offer ? "create-offer" : "create-answer", null, reply -> {
            if (reply == null || !LibGst.gst_structure_has_field(reply, field)) {
                throw new WebRtcException("create-" + field + " returned no " + field);
            }
            Pointer description = LibGObject.g_value_get_boxed(
                    LibGst.gst_structure_get_value(reply, field));
            // GstWebRTCSessionDescription: GstWebRTCSDPType type; GstSDPMessage *sdp
            Pointer sdp = description.getPointer(Native.POINTER_SIZE);
            return LibGLib.takeString(SdpLib.INSTANCE.gst_sdp_message_as_text(sdp));
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
            return Promises.request(webrtcbin, local ? "set-local-description" : "set-remote-description", description,
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
}
