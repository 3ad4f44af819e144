package io.pistream.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs in the test JVM beside Pax Exam. A container that has not started a test {@link #PATIENCE} after its launch
 * (Pax Exam gives up later and only says "Container never came up") gets its threads and the end of its log
 * written to {@code target/exam-diagnostics/}, while it still runs, so that a stuck boot shows where it is stuck;
 * so does the container of an earlier test class that is slow to stop. Finished containers leave only their log.
 */
final class ContainerWatchdog implements Runnable {

    static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(30);
    static final Duration PATIENCE = Duration.ofSeconds(Long.getLong("pistream.watchdog.seconds", 90));
    private static final String KARAF_MAIN = "org.apache.karaf.main.Main";
    private static final String TEST_STARTED = "ContainerTestRunner";

    private final Path diagnostics;
    private final Set<Long> examined = new HashSet<>();

    private ContainerWatchdog(Path diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Starts the watchdog once per test JVM; does nothing inside a container, where the test class also loads. */
    static synchronized void startInTestJvm() {
        String distribution = System.getProperty("pistream.distribution");
        if (distribution == null || System.getProperty("karaf.base") != null
                || Boolean.getBoolean("pistream.watchdog.started")) {
            return;
        }
        System.setProperty("pistream.watchdog.started", "true");
        Path target = Path.of(distribution).toAbsolutePath().getParent();
        ContainerWatchdog watchdog = new ContainerWatchdog(target.resolve("exam-diagnostics"));
        watchdog.awaitEarlierContainers(target.resolve("exam"));
        keepOnlyLogs(target.resolve("exam"), target.resolve("exam-logs"));
        Thread thread = new Thread(watchdog, "container-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Pax Exam only signals a container to stop, and the test JVM exits before it has: the container of the
     * previous test class may still be shutting down. Waits for it, so that test classes never overlap; one that
     * takes longer than {@link #SHUTDOWN_PATIENCE} is reported with its threads and killed.
     */
    private void awaitEarlierContainers(Path examRoot) {
        List<ProcessHandle> earlier = ProcessHandle.allProcesses()
                .filter(p -> commandLine(p).contains(KARAF_MAIN))
                .filter(p -> karafBase(p).map(base -> base.startsWith(examRoot)).orElse(false)).toList();
        for (ProcessHandle container : earlier) {
            long start = System.nanoTime();
            try {
                container.onExit().get(SHUTDOWN_PATIENCE.toSeconds(), TimeUnit.SECONDS);
                System.out.println("[container-watchdog] waited " + (System.nanoTime() - start) / 1_000_000
                        + " ms for the container of an earlier test class to stop");
            } catch (TimeoutException e) {
                report(container, "did not stop within " + SHUTDOWN_PATIENCE.toSeconds() + " s of its test's end");
                container.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // gone
            }
        }
    }

    /**
     * Every test class unpacks a distribution of about 100 MB: of the finished ones only the Karaf log is kept, in
     * {@code exam-logs/<run>-karaf.log}, so that a full run does not fill a small disk.
     */
    private static void keepOnlyLogs(Path examRoot, Path logs) {
        if (!Files.isDirectory(examRoot)) {
            return;
        }
        try (Stream<Path> runs = Files.list(examRoot)) {
            for (Path run : runs.filter(Files::isDirectory).toList()) {
                Path log = run.resolve("data/log/karaf.log");
                if (Files.exists(log)) {
                    Files.createDirectories(logs);
                    Files.copy(log, logs.resolve(run.getFileName() + "-karaf.log"), StandardCopyOption.REPLACE_EXISTING);
                }
                try (Stream<Path> tree = Files.walk(run)) {
                    for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        } catch (IOException e) {
            System.out.println("[container-watchdog] cannot clear finished containers in " + examRoot + ": " + e);
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                ProcessHandle.current().descendants().filter(p -> commandLine(p).contains(KARAF_MAIN))
                        .forEach(this::examine);
                TimeUnit.SECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void examine(ProcessHandle container) {
        Optional<Instant> launched = container.info().startInstant();
        if (examined.contains(container.pid()) || launched.isEmpty()
                || Duration.between(launched.get(), Instant.now()).compareTo(PATIENCE) < 0) {
            return;
        }
        examined.add(container.pid());
        if (karafBase(container).map(base -> testStarted(base.resolve("data/log/karaf.log"))).orElse(false)) {
            return;
        }
        report(container, "started no test within " + PATIENCE.toSeconds() + " s");
    }

    /** Writes the container's threads and the end of its log to the diagnostics folder, and says so. */
    private void report(ProcessHandle container, String problem) {
        Optional<Path> log = karafBase(container).map(base -> base.resolve("data/log/karaf.log"));
        StringBuilder report = new StringBuilder("Container pid " + container.pid() + " (" + karafBase(container)
                .map(Path::toString).orElse("unknown base") + ") " + problem + ".\n\n== threads\n");
        report.append(run(List.of(jcmd(), Long.toString(container.pid()), "Thread.print")));
        report.append("\n== last lines of karaf.log\n");
        report.append(log.map(ContainerWatchdog::tail).orElse("(no log)\n"));
        try {
            Files.createDirectories(diagnostics);
            Path file = diagnostics.resolve("container-" + container.pid() + ".txt");
            Files.writeString(file, report);
            System.out.println("[container-watchdog] a Pax Exam container " + problem + ": " + file.toAbsolutePath());
        } catch (IOException e) {
            System.out.println("[container-watchdog] cannot write diagnostics: " + e + "\n" + report);
        }
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static Optional<Path> karafBase(ProcessHandle container) {
        return container.info().arguments().stream().flatMap(Arrays::stream)
                .filter(argument -> argument.startsWith("-Dkaraf.base=")).findFirst()
                .map(argument -> Path.of(argument.substring("-Dkaraf.base=".length())));
    }

    private static boolean testStarted(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(TEST_STARTED);
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size())) + "\n";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")\n";
        }
    }

    private static String jcmd() {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(beside) ? beside.toString() : "jcmd";
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            process.waitFor(30, TimeUnit.SECONDS);
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot run " + command + ": " + e + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)\n";
        }
    }
}
