package io.pistream.webrtc.testing;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;

/** Asks a signalling server for the producers it knows, as a listener peer does with {@code list}. */
public final class ProducerList {

    private ProducerList() {
    }

    public static List<Signaller.Peer> fetch(URI server, JdkWebSocketConnector connector, long timeoutMillis)
            throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<String> welcome = new CompletableFuture<>();
        CompletableFuture<List<Signaller.Peer>> reply = new CompletableFuture<>();
        Signaller lister = new Signaller(server, connector, List.of("listener"), null, new Signaller.Listener() {
            @Override
            public void onRegistered(String peerId) {
                welcome.complete(peerId);
            }

            @Override
            public void onDisconnected(String reason) {
            }

            @Override
            public void onList(List<Signaller.Peer> producers) {
                reply.complete(producers);
            }
        }, executor, Signaller.Timing.DEFAULT);
        try {
            lister.start();
            try {
                welcome.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("no welcome from " + server + " within " + timeoutMillis + " ms");
            }
            lister.list();
            return reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } finally {
            lister.close();
            executor.shutdown();
        }
    }
}
