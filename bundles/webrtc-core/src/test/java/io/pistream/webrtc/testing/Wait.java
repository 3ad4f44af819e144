package io.pistream.webrtc.testing;

import java.io.File;
import java.util.function.BooleanSupplier;

/** Waiting and counting for tests with real peers. */
public final class Wait {

    private Wait() {
    }

    /** Waits until the condition holds or the time is up; returns whether it holds. */
    public static boolean until(long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The names of this process's threads with their counts, for failure messages. */
    public static String threadNames() {
        java.util.Map<String, Integer> names = new java.util.TreeMap<>();
        String[] tasks = new File("/proc/self/task").list();
        for (String task : tasks == null ? new String[0] : tasks) {
            try {
                String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task", task, "comm"))
                        .trim().replaceAll("\\d+$", "#");
                names.merge(name, 1, Integer::sum);
            } catch (java.io.IOException e) {
                // gone meanwhile
            }
        }
        return names.toString();
    }

    /** Threads of this process, native ones included (GStreamer's, libnice's). */
    public static int processThreads() {
        String[] tasks = new File("/proc/self/task").list();
        return tasks == null ? Thread.activeCount() : tasks.length;
    }
}
