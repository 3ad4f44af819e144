package io.pistream.webrtc.internal.signaller;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * WebSocket client of the JDK ({@code java.net.http}): {@code ws://} and {@code wss://}. For {@code wss://} it
 * trusts the certificates of a PEM file (the platform's CA) when one is given, else the JDK's trust store. Each
 * handshake can carry a bearer token ({@code Authorization: Bearer}), asked for anew at every connection.
 */
public final class JdkWebSocketConnector implements WebSocketConnector, AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ExecutorService executor;
    private final Path trustedCertificates;
    private final Duration connectTimeout;
    private final Supplier<String> bearerToken;
    private HttpClient client;
    private long trustedVersion = Long.MIN_VALUE;

    /**
     * @param trustedCertificates PEM file of certificates to trust for {@code wss://}, or null for the JDK's trust
     *                            store. It is read again when it changes, so that a CA the platform creates after
     *                            this connector (on first start) is trusted at the next connection.
     */
    public JdkWebSocketConnector(Path trustedCertificates, Duration connectTimeout) throws IOException,
            GeneralSecurityException {
        this(trustedCertificates, connectTimeout, () -> null);
    }

    /**
     * @param bearerToken the token each handshake presents as {@code Authorization: Bearer}; null or empty: none
     */
    public JdkWebSocketConnector(Path trustedCertificates, Duration connectTimeout, Supplier<String> bearerToken)
            throws IOException, GeneralSecurityException {
        this.connectTimeout = connectTimeout;
        this.bearerToken = bearerToken;
        this.trustedCertificates = trustedCertificates;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "pistream-signalling-ws-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        client();
    }

    /** The HTTP client, rebuilt when the trusted certificates file appeared or changed. */
    private synchronized HttpClient client() throws IOException, GeneralSecurityException {
        long version = trustedCertificates != null && Files.isRegularFile(trustedCertificates)
                ? Files.getLastModifiedTime(trustedCertificates).toMillis() : -1;
        if (client == null || version != trustedVersion) {
            HttpClient.Builder builder = HttpClient.newBuilder().executor(executor).connectTimeout(connectTimeout);
            if (version != -1) {
                builder.sslContext(sslContext(trustedCertificates));
            }
            client = builder.build();
            trustedVersion = version;
        }
        return client;
    }

    /** An SSL context trusting exactly the certificates in the PEM file. */
    static SSLContext sslContext(Path pem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pem);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            trust.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Override
    public CompletableFuture<Connection> connect(URI uri, Events events) {
        JdkConnection connection = new JdkConnection(events);
        HttpClient current;
        try {
            current = client();
        } catch (IOException | GeneralSecurityException e) {
            return CompletableFuture.failedFuture(e);
        }
        WebSocket.Builder builder = current.newWebSocketBuilder().connectTimeout(connectTimeout);
        String token;
        try {
            token = bearerToken.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IOException("no token for the signalling server: " + e, e));
        }
        if (token != null && !token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(uri, connection)
                .handle((webSocket, error) -> {
                    if (error != null) {
                        throw new CompletionException(refusal(error));
                    }
                    connection.webSocket = webSocket;
                    return (Connection) connection;
                });
    }

    /** A refused handshake in words: the status, and what it means for the device's clients. */
    private static Throwable refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            String meaning = switch (status) {
                case 401 -> ": not authenticated (the device token, or signalling.token for another server)";
                case 403 -> ": forbidden (the token lacks the role viewer or talk, or the Origin is not allowed)";
                case 429 -> ": too many failed attempts from this address";
                case 503 -> ": the server has as many peers as it takes";
                default -> "";
            };
            // no cause: the signaller reports the innermost message, and this one says it all
            return new IOException("the signalling server refused the handshake with HTTP " + status + meaning);
        }
        return cause;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class JdkConnection implements Connection, WebSocket.Listener {
        private final Events events;
        private final StringBuilder partial = new StringBuilder();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile WebSocket webSocket;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        JdkConnection(Events events) {
            this.events = events;
        }

        @Override
        public void onOpen(WebSocket socket) {
            this.webSocket = socket;
            events.onOpen(this);
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                events.onText(text);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
            events.onPong();
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed("closed by the server (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason)
                    + ")");
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed("connection failed: " + error);
        }

        private void closed(String reason) {
            if (closed.compareAndSet(false, true)) {
                events.onClosed(reason);
            }
        }

        @Override
        public synchronized void send(String text) {
            WebSocket socket = webSocket;
            if (socket == null || closed.get()) {
                return;
            }
            // the JDK WebSocket refuses a send while the previous one is in progress: chain them
            sending = sending.handle((ignored, error) -> null)
                    .thenCompose(ignored -> socket.sendText(text, true))
                    .whenComplete((ignored, error) -> {
                        if (error != null) {
                            socket.abort();
                            closed("send failed: " + error);
                        }
                    });
        }

        @Override
        public synchronized void ping() {
            WebSocket socket = webSocket;
            if (socket == null || closed.get()) {
                return;
            }
            sending = sending.handle((ignored, error) -> null)
                    .thenCompose(ignored -> socket.sendPing(ByteBuffer.allocate(0)));
        }

        @Override
        public synchronized void close() {
            WebSocket socket = webSocket;
            if (socket != null && !socket.isOutputClosed()) {
                sending = sending.handle((ignored, error) -> null)
                        .thenCompose(ignored -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                        .whenComplete((ignored, error) -> socket.abort());
            }
            closed("closed by this peer");
        }

        @Override
        public void abort() {
            WebSocket socket = webSocket;
            if (socket != null) {
                socket.abort();
            }
            closed("aborted by this peer");
        }
    }
}
