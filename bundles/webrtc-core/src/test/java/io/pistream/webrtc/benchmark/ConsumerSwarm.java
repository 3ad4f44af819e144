package io.pistream.webrtc.benchmark;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.pistream.gstreamer.internal.GstInit;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.ProducerList;
import io.pistream.webrtc.testing.TestConsumer;

/**
 * The viewers of {@link WebRtcBenchmark}, in their own process so that their CPU is not counted as the
 * producer's, and of the benchmark suite (then against the device's signalling server, with the producer given as
 * {@code name:<name>} and the CA to trust as a third argument). Driven over stdin by {@link ViewerCommandLoop}'s
 * commands; {@link ViewerProcess#JITTER_PROPERTY} sets the viewers' jitter buffer.
 */
public final class ConsumerSwarm {

    private ConsumerSwarm() {
    }

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        Path trusted = args.length > 2 ? Path.of(args[2]) : null;
        GstInit.ensure();
        // a viewer's token: of the test server's, or one issued by the device (pistream:token) when run against it
        String token = System.getProperty("pistream.signalling.token", TestAccessControl.VIEWER_TOKEN);
        int jitterMillis = Integer.getInteger(ViewerProcess.JITTER_PROPERTY, -1);
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector(trusted, Duration.ofSeconds(5),
                () -> token)) {
            String producer = args[1].startsWith("name:") ? producerNamed(server, connector, args[1].substring(5))
                    : args[1];
            ViewerCommandLoop.serve(decode -> {
                TestConsumer consumer = new TestConsumer(server, producer, TestConsumer.Mode.ANSWER, List.of(),
                        connector);
                if (!decode) {
                    consumer.withoutDecoding();
                }
                if (jitterMillis >= 0) {
                    consumer.latency(jitterMillis);
                }
                return consumer.start();
            });
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
