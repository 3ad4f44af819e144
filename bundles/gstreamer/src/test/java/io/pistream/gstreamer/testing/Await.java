package io.pistream.gstreamer.testing;

import java.util.function.BooleanSupplier;

/** Waits for what a user would eventually see, failing with a sentence that says what did not happen. */
public final class Await {

    private Await() {
    }

    public static void awaitTrue(BooleanSupplier condition, long timeoutMillis, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeoutMillis + " ms waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
