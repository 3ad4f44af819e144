package io.pistream.webrtc.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pistream.gstreamer.internal.GstInit;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.ProducerList;
import io.pistream.webrtc.testing.TestConsumer;

/**
 * The viewers of {@link WebRtcBenchmark}, in their own process so that their CPU is not counted as the
 * producer's, and of the benchmark suite (then against the device's signalling server, with the producer given as
 * {@code name:<name>} and the CA to trust as a third argument). Reads commands on stdin: {@code add <n> <decode>}, {@code report}, {@code quit}; answers on stdout.
 */
public final class ConsumerSwarm {

    private ConsumerSwarm() {
    }

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        Path trusted = args.length > 2 ? Path.of(args[2]) : null;
        GstInit.ensure();
        List<TestConsumer> consumers = new ArrayList<>();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector(trusted, Duration.ofSeconds(5));
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            String producer = args[1].startsWith("name:") ? producerNamed(server, connector, args[1].substring(5))
                    : args[1];
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

    /** The id of the producer registered with {@code meta.name}, waiting up to 30 s for it to register. */
    private static String producerNamed(URI server, JdkWebSocketConnector connector, String name) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        do {
            for (Signaller.Peer peer : ProducerList.fetch(server, connector, 5_000)) {
                if (name.equals(peer.meta().path("name").asText())) {
                    return peer.id();
                }
            }
            Thread.sleep(500);
        } while (System.currentTimeMillis() < deadline);
        throw new IllegalStateException("no producer named '" + name + "' at " + server);
    }
}
