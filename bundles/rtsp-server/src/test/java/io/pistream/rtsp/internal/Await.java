package io.pistream.rtsp.internal;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline: the machine is shared, so timeouts are generous and failures say what was awaited. */
final class Await {

    private Await() {
    }

    static void until(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        until(what, timeoutMillis, condition, () -> "");
    }

    static void until(String what, long timeoutMillis, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeoutMillis + " ms waiting until " + what + " "
                        + state.get());
            }
            Thread.sleep(50);
        }
    }
}
