package io.pistream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the report says about the machine and the software measured. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String memory = "";
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> ", " + Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB RAM")
                    .orElse("");
        } catch (IOException ignored) {
            // leave it out
        }
        return ProcessStats.machine() + memory + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** The load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them. */
    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String software() {
        String gstreamer;
        try {
            gstreamer = Commands.run(Duration.ofSeconds(10), "gst-launch-1.0", "--version").lines()
                    .filter(l -> l.startsWith("GStreamer")).findFirst().orElse("GStreamer ?");
        } catch (IOException | InterruptedException e) {
            gstreamer = "GStreamer ?";
        }
        String chromium;
        try {
            chromium = Commands.run(Duration.ofSeconds(20), System.getenv().getOrDefault("CHROMIUM",
                    "/usr/bin/chromium"), "--version").lines().filter(l -> l.startsWith("Chromium")).findFirst()
                    .orElse("Chromium ?");
        } catch (IOException | InterruptedException e) {
            chromium = "Chromium ?";
        }
        return gstreamer + "; " + chromium + "; harness Java " + System.getProperty("java.version");
    }
}
