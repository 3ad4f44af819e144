package io.pistream.webrtc.testing;

import java.io.File;

/** Counting threads for tests with real peers (waiting is Awaitility's). */
public final class Wait {

    private Wait() {
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
