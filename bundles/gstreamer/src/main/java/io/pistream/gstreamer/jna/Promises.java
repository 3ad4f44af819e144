package io.pistream.gstreamer.jna;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Action signals answered through a {@code GstPromise} (webrtcbin's create-offer, set-remote-description,
 * get-stats...), as {@link CompletableFuture}s whose error replies are reported and which time out.
 * <p>
 * gst1-java-core 1.4 interrupts the promise of {@code setRemoteDescription} and reports no error reply; this helper
 * waits for the reply on the thread that gives it, reads it there (the reply belongs to the promise) and frees the
 * promise once, whether it was answered, refused or interrupted by the timeout.
 */
public final class Promises {

    /** {@code GstPromiseResult}. */
    private static final int INTERRUPTED = 1;
    private static final int REPLIED = 2;

    /** {@code GstPromiseChangeFunc}. */
    public interface ChangeCallback extends Callback {
        void invoke(Pointer promise, Pointer data);
    }

    /** The element answered with an error, or not in time. */
    public static final class RequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RequestException(String message) {
            super(message);
        }
    }

    private static final AtomicLong KEYS = new AtomicLong();
    private static final Map<Long, Waiter> WAITING = new ConcurrentHashMap<>();

    // static, so never collected while native code may call it
    private static final ChangeCallback ON_CHANGE = (promise, data) -> {
        Waiter waiter = WAITING.remove(Pointer.nativeValue(data));
        if (waiter != null) {
            waiter.changed(promise);
        }
    };

    static {
        Native.setCallbackThreadInitializer(ON_CHANGE, new CallbackThreadInitializer(true, false, "gst-promise"));
    }

    private Promises() {
    }

    private static final class Waiter {
        final String what;
        final Function<Pointer, ?> reader;
        final CompletableFuture<Object> future = new CompletableFuture<>();

        Waiter(String what, Function<Pointer, ?> reader) {
            this.what = what;
            this.reader = reader;
        }

        /** On the thread that replied or interrupted; the promise is freed here. */
        void changed(Pointer promise) {
            try {
                int result = LibGst.gst_promise_wait(promise);
                if (result != REPLIED) {
                    future.completeExceptionally(new RequestException(what + ": no answer"
                            + (result == INTERRUPTED ? " in time" : " (promise result " + result + ")")));
                    return;
                }
                Pointer reply = LibGst.gst_promise_get_reply(promise);
                String error = reply == null ? null : errorOf(reply);
                if (error != null) {
                    future.completeExceptionally(new RequestException(what + " failed: " + error));
                } else {
                    future.complete(reader.apply(reply));
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            } finally {
                LibGst.gst_mini_object_unref(promise);
            }
        }
    }

    /** The message of the {@code error} field of a reply structure, or null when there is none. */
    private static String errorOf(Pointer reply) {
        if (!LibGst.gst_structure_has_field(reply, "error")) {
            return null;
        }
        Pointer value = LibGst.gst_structure_get_value(reply, "error");
        return LibGLib.errorMessage(value == null ? null : LibGObject.g_value_get_boxed(value));
    }

    /**
     * Emits the action signal {@code signal} of {@code element} with {@code firstArgument} (none when null) and a
     * promise as its last argument. Completes with what {@code reader} makes of the reply structure (null for an
     * empty reply), on the thread that answered; completes exceptionally with a {@link RequestException} on an
     * error reply or when nothing came within the timeout (the promise is then interrupted).
     */
    @SuppressWarnings("unchecked")
    public static <T> CompletableFuture<T> request(Pointer element, String signal, Object firstArgument,
            Function<Pointer, T> reader, ScheduledExecutorService timer, long timeoutMillis) {
        long key = KEYS.incrementAndGet();
        Waiter waiter = new Waiter(signal, reader);
        WAITING.put(key, waiter);
        Pointer promise = LibGst.gst_promise_new_with_change_func(ON_CHANGE, new Pointer(key), null);
        try {
            LibGObject.VARIADIC.g_signal_emit_by_name(element, signal, firstArgument, promise);
        } catch (RuntimeException e) {
            WAITING.remove(key);
            LibGst.gst_mini_object_unref(promise);
            return CompletableFuture.failedFuture(e);
        }
        timer.schedule(() -> {
            if (WAITING.containsKey(key)) {
                LibGst.gst_promise_interrupt(promise); // calls ON_CHANGE, which frees it
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        return (CompletableFuture<T>) waiter.future;
    }

    /** Promises handed out and not yet answered, across the JVM (for leak checks). */
    public static int pending() {
        return WAITING.size();
    }
}
