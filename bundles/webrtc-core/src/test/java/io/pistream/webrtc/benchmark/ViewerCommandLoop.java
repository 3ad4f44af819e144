package io.pistream.webrtc.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands a process of viewers answers on stdin, whatever its viewers are ({@link ConsumerSwarm}'s webrtcbin
 * consumers, the benchmark suite's RTSP clients): {@code add <n> <decode>} (answers {@code added <total>}),
 * {@code report} (answers {@code report <frames>:<first frame ms> ...}, one pair per viewer), {@code drop} (closes
 * every viewer and forgets them, answers {@code dropped}; the process stays for more), {@code quit} (closes every
 * viewer, answers {@code bye}).
 */
public final class ViewerCommandLoop {

    /** One viewer, as the report shows it. */
    public interface Viewer {
        long videoFrames();

        /** Milliseconds from its start to its first frame, -1 before it. */
        long firstFrameMillis();

        void close();
    }

    /** Starts a viewer that decodes what it receives, or not. */
    @FunctionalInterface
    public interface Starter {
        Viewer start(boolean decode) throws Exception;
    }

    private ViewerCommandLoop() {
    }

    /** Answers commands on stdin until {@code quit} or the end of input. */
    public static void serve(Starter starter) throws Exception {
        List<Viewer> viewers = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] command = line.trim().split(" ");
                switch (command[0]) {
                    case "add" -> {
                        boolean decode = command.length > 2 && Boolean.parseBoolean(command[2]);
                        for (int i = Integer.parseInt(command[1]); i > 0; i--) {
                            viewers.add(starter.start(decode));
                        }
                        System.out.println("added " + viewers.size());
                    }
                    case "report" -> {
                        StringBuilder report = new StringBuilder("report");
                        for (Viewer viewer : viewers) {
                            report.append(' ').append(viewer.videoFrames()).append(':').append(viewer.firstFrameMillis());
                        }
                        System.out.println(report);
                    }
                    case "drop" -> {
                        viewers.forEach(Viewer::close);
                        viewers.clear();
                        System.out.println("dropped");
                    }
                    case "quit" -> {
                        viewers.forEach(Viewer::close);
                        System.out.println("bye");
                        return;
                    }
                    default -> System.out.println("unknown " + line);
                }
                System.out.flush();
            }
        }
    }
}
