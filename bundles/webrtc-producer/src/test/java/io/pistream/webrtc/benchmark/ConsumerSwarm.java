package io.pistream.webrtc.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pistream.gstreamer.internal.GstInit;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.testing.TestConsumer;

/**
 * The viewers of {@link WebRtcBenchmark}, in their own process so that their CPU is not counted as the
 * producer's. Reads commands on stdin: {@code add <n> <decode>}, {@code report}, {@code quit}; answers on stdout.
 */
public final class ConsumerSwarm {

    private ConsumerSwarm() {
    }

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        String producer = args[1];
        GstInit.ensure();
        List<TestConsumer> consumers = new ArrayList<>();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector(null, Duration.ofSeconds(5));
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] command = line.trim().split(" ");
                switch (command[0]) {
                    case "add" -> {
                        int count = Integer.parseInt(command[1]);
                        boolean decode = Boolean.parseBoolean(command[2]);
                        for (int i = 0; i < count; i++) {
                            TestConsumer consumer = new TestConsumer(server, producer, TestConsumer.Mode.ANSWER,
                                    List.of(), connector);
                            if (!decode) {
                                consumer.withoutDecoding();
                            }
                            consumers.add(consumer.start());
                        }
                        System.out.println("added " + consumers.size());
                    }
                    case "report" -> {
                        StringBuilder report = new StringBuilder("report");
                        for (TestConsumer consumer : consumers) {
                            report.append(' ').append(consumer.videoFrames()).append(':')
                                    .append(consumer.firstFrameMillis());
                        }
                        System.out.println(report);
                    }
                    case "quit" -> {
                        consumers.forEach(TestConsumer::close);
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
