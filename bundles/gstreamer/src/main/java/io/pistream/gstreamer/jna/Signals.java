package io.pistream.gstreamer.jna;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one router from native GObject signals, pad probes and weak references to Java handlers.
 * <p>
 * Native code holds only a handful of <em>static</em> JNA callbacks, one per C signature, which are never
 * collected (a collected callback that native code still calls crashes the JVM). Each connection passes a numeric
 * key as user data; the callback looks the handler up by that key. {@link Connection#close()} forgets the key, so a
 * late signal from an object being torn down finds nothing and does nothing. Handlers run on GStreamer's threads:
 * they must return quickly and never block; what they throw is logged, never thrown into native code.
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    /** {@code GST_PAD_PROBE_TYPE_BUFFER}. */
    public static final int PROBE_BUFFER = 1 << 4;
    /** {@code GST_PAD_PROBE_TYPE_EVENT_UPSTREAM}. */
    public static final int PROBE_EVENT_UPSTREAM = 1 << 7;
    /** {@code GST_PAD_PROBE_OK}. */
    public static final int PROBE_OK = 1;

    // --- what Java handlers see -----------------------------------------------------------------------------------

    /** A signal with no argument ({@code on-negotiation-needed}, {@code unprepared}, {@code closed}), or a weak notify. */
    @FunctionalInterface
    public interface InstanceHandler {
        void on(Pointer instance);
    }

    /** A signal with one pointer argument ({@code pad-added}, {@code media-configure}, {@code notify::*}, ...). */
    @FunctionalInterface
    public interface ArgumentHandler {
        void on(Pointer instance, Pointer argument);
    }

    /** A signal with a number and a text ({@code on-ice-candidate}). */
    @FunctionalInterface
    public interface NumberAndTextHandler {
        void on(Pointer instance, int number, String text);
    }

    /** A signal with a number ({@code need-data}). */
    @FunctionalInterface
    public interface NumberHandler {
        void on(Pointer instance, int number);
    }

    /** A signal answered with a {@code GstFlowReturn} ({@code new-sample} of an appsink). */
    @FunctionalInterface
    public interface FlowHandler {
        int on(Pointer instance);
    }

    /**
     * A signal with one pointer argument answered with a number: gst-rtsp-server's {@code pre-*-request} signals,
     * which answer a {@code GstRTSPStatusCode}.
     */
    @FunctionalInterface
    public interface ArgumentReplyHandler {
        int on(Pointer instance, Pointer argument);
    }

    /** A signal with two pointer arguments ({@code send-message} of a {@code GstRTSPClient}). */
    @FunctionalInterface
    public interface TwoArgumentHandler {
        void on(Pointer instance, Pointer first, Pointer second);
    }

    /**
     * {@code on-feedback-rtcp} of an {@code RTPSession}: a feedback packet (NACK, PLI, FIR, REMB...) with its RTCP
     * packet type, format, the two SSRCs, and its feedback control information (a {@code GstBuffer}, borrowed for the
     * call, or null).
     */
    @FunctionalInterface
    public interface FeedbackHandler {
        void on(Pointer session, int type, int format, int senderSsrc, int mediaSsrc, Pointer fci);
    }

    /** A pad probe; answers a {@code GstPadProbeReturn}. */
    @FunctionalInterface
    public interface ProbeHandler {
        int on(Pointer pad, Pointer info);
    }

    // --- the native signatures (one static callback each) ----------------------------------------------------------

    interface InstanceCallback extends Callback {
        void invoke(Pointer instance, Pointer data);
    }

    interface ArgumentCallback extends Callback {
        void invoke(Pointer instance, Pointer argument, Pointer data);
    }

    interface NumberAndTextCallback extends Callback {
        void invoke(Pointer instance, int number, String text, Pointer data);
    }

    interface NumberCallback extends Callback {
        void invoke(Pointer instance, int number, Pointer data);
    }

    interface FlowCallback extends Callback {
        int invoke(Pointer instance, Pointer data);
    }

    interface ArgumentReplyCallback extends Callback {
        int invoke(Pointer instance, Pointer argument, Pointer data);
    }

    interface TwoArgumentCallback extends Callback {
        void invoke(Pointer instance, Pointer first, Pointer second, Pointer data);
    }

    interface FeedbackCallback extends Callback {
        void invoke(Pointer session, int type, int format, int senderSsrc, int mediaSsrc, Pointer fci, Pointer data);
    }

    /** {@code GstPadProbeCallback}. */
    public interface ProbeCallback extends Callback {
        int invoke(Pointer pad, Pointer info, Pointer data);
    }

    /** {@code GWeakNotify}: user data first. */
    public interface WeakNotifyCallback extends Callback {
        void invoke(Pointer data, Pointer objectWas);
    }

    private record Route(String what, Object handler) {
    }

    private static final AtomicLong KEYS = new AtomicLong();
    private static final Map<Long, Route> ROUTES = new ConcurrentHashMap<>();

    private static final InstanceCallback INSTANCE = (instance, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                ((InstanceHandler) route.handler).on(instance);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
    };
    private static final ArgumentCallback ARGUMENT = (instance, argument, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                ((ArgumentHandler) route.handler).on(instance, argument);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
    };
    private static final NumberAndTextCallback NUMBER_AND_TEXT = (instance, number, text, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                ((NumberAndTextHandler) route.handler).on(instance, number, text);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
    };
    private static final NumberCallback NUMBER = (instance, number, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                ((NumberHandler) route.handler).on(instance, number);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
    };
    private static final FlowCallback FLOW = (instance, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                return ((FlowHandler) route.handler).on(instance);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
        return GstDirect.FLOW_OK;
    };
    /**
     * One callback per reply that native code gets when no handler answers (closed, or failed): few distinct
     * values exist, and each callback is kept for the life of the JVM like the others.
     */
    private static final Map<Integer, ArgumentReplyCallback> ARGUMENT_REPLY = new ConcurrentHashMap<>();

    private static ArgumentReplyCallback argumentReply(int noAnswer) {
        return ARGUMENT_REPLY.computeIfAbsent(noAnswer, reply -> {
            ArgumentReplyCallback callback = (instance, argument, data) -> {
                Route route = ROUTES.get(Pointer.nativeValue(data));
                if (route != null) {
                    try {
                        return ((ArgumentReplyHandler) route.handler).on(instance, argument);
                    } catch (RuntimeException | Error e) {
                        failed(route, e);
                    }
                }
                return reply;
            };
            Native.setCallbackThreadInitializer(callback, ATTACH);
            return callback;
        });
    }

    private static final TwoArgumentCallback TWO_ARGUMENTS = (instance, first, second, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                ((TwoArgumentHandler) route.handler).on(instance, first, second);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
    };
    private static final FeedbackCallback FEEDBACK = (session, type, format, senderSsrc, mediaSsrc, fci, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                ((FeedbackHandler) route.handler).on(session, type, format, senderSsrc, mediaSsrc, fci);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
    };
    private static final ProbeCallback PROBE = (pad, info, data) -> {
        Route route = ROUTES.get(Pointer.nativeValue(data));
        if (route != null) {
            try {
                return ((ProbeHandler) route.handler).on(pad, info);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
        return PROBE_OK;
    };
    private static final WeakNotifyCallback WEAK_NOTIFY = (data, objectWas) -> {
        Route route = ROUTES.remove(Pointer.nativeValue(data));
        if (route != null) {
            try {
                ((InstanceHandler) route.handler).on(objectWas);
            } catch (RuntimeException | Error e) {
                failed(route, e);
            }
        }
    };

    /**
     * Stay attached: detaching after each call costs time on the per-buffer path and made JNA print "could not
     * detach thread" on GStreamer's threads. The Java thread takes the native thread's name (GStreamer names its
     * streaming threads after their pad, e.g. "enc-h264:src"), which keeps thread dumps readable.
     */
    private static final CallbackThreadInitializer ATTACH = new CallbackThreadInitializer(true, false, "gst-native") {
        @Override
        public String getName(Callback callback) {
            try {
                return "gst:" + Files.readString(Path.of("/proc/thread-self/comm")).trim();
            } catch (IOException | RuntimeException e) {
                return super.getName(callback);
            }
        }
    };

    static {
        for (Callback callback : new Callback[] {INSTANCE, ARGUMENT, NUMBER_AND_TEXT, NUMBER, FLOW, TWO_ARGUMENTS,
                FEEDBACK,
                PROBE, WEAK_NOTIFY}) {
            Native.setCallbackThreadInitializer(callback, ATTACH);
        }
    }

    private Signals() {
    }

    private static void failed(Route route, Throwable e) {
        LOG.error("Handler of {} failed", route.what, e);
    }

    /** A handler routed from native code until {@link #close()}. */
    public static final class Connection implements AutoCloseable {
        private final long key;

        private Connection(long key) {
            this.key = key;
        }

        /** After this no call reaches the handler any more (one already running may finish). Idempotent. */
        @Override
        public void close() {
            ROUTES.remove(key);
        }

        public boolean isOpen() {
            return ROUTES.containsKey(key);
        }
    }

    /** Connections that end together (those of one session, one pipeline...). */
    public static final class Group implements AutoCloseable {
        private final List<Connection> connections = new ArrayList<>();

        public synchronized Connection add(Connection connection) {
            connections.add(connection);
            return connection;
        }

        /** Closes every connection of the group. */
        @Override
        public synchronized void close() {
            connections.forEach(Connection::close);
            connections.clear();
        }
    }

    /** Registers the handler under a new key, which native code gets back as user data. */
    private static long route(String what, Object handler) {
        long key = KEYS.incrementAndGet();
        ROUTES.put(key, new Route(what, handler));
        return key;
    }

    private static Connection connectSignal(Pointer instance, String signal, Callback callback, Object handler) {
        long key = route(signal, handler);
        LibGObject.g_signal_connect_data(instance, signal, callback, new Pointer(key), null, 0);
        return new Connection(key);
    }

    public static Connection connect(Pointer instance, String signal, InstanceHandler handler) {
        return connectSignal(instance, signal, INSTANCE, handler);
    }

    public static Connection connect(Pointer instance, String signal, ArgumentHandler handler) {
        return connectSignal(instance, signal, ARGUMENT, handler);
    }

    public static Connection connect(Pointer instance, String signal, NumberAndTextHandler handler) {
        return connectSignal(instance, signal, NUMBER_AND_TEXT, handler);
    }

    public static Connection connect(Pointer instance, String signal, NumberHandler handler) {
        return connectSignal(instance, signal, NUMBER, handler);
    }

    public static Connection connect(Pointer instance, String signal, FlowHandler handler) {
        return connectSignal(instance, signal, FLOW, handler);
    }

    /**
     * A signal answered with a number. Named apart from {@code connect} so that a lambda never matches two
     * overloads.
     *
     * @param noAnswer what native code gets when the handler throws or the connection is closed
     */
    public static Connection connectReplying(Pointer instance, String signal, ArgumentReplyHandler handler,
            int noAnswer) {
        return connectSignal(instance, signal, argumentReply(noAnswer), handler);
    }

    /** A signal with two pointer arguments; named apart from {@code connect} for the same reason. */
    public static Connection connectTwoArguments(Pointer instance, String signal, TwoArgumentHandler handler) {
        return connectSignal(instance, signal, TWO_ARGUMENTS, handler);
    }

    /** {@code on-feedback-rtcp} of an {@code RTPSession}; named apart from {@code connect} like the others. */
    public static Connection connectFeedback(Pointer session, FeedbackHandler handler) {
        return connectSignal(session, "on-feedback-rtcp", FEEDBACK, handler);
    }

    /** A pad probe of the given {@code GstPadProbeType} mask. */
    public static Connection probe(Pointer pad, int mask, ProbeHandler handler) {
        long key = route("pad probe", handler);
        LibGst.gst_pad_add_probe(pad, mask, PROBE, new Pointer(key), null);
        return new Connection(key);
    }

    /** Calls {@code handler} once when the GObject {@code object} is disposed (a weak reference). */
    public static Connection onDisposed(Pointer object, InstanceHandler handler) {
        long key = route("disposal", handler);
        LibGObject.g_object_weak_ref(object, WEAK_NOTIFY, new Pointer(key));
        return new Connection(key);
    }

    /** Handlers routed and not yet closed, across the JVM (for leak checks). */
    public static int open() {
        return ROUTES.size();
    }
}
