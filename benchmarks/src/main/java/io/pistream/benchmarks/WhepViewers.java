package io.pistream.benchmarks;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.pistream.gstreamer.internal.GstInit;
import io.pistream.webrtc.benchmark.ViewerCommandLoop;
import io.pistream.webrtc.benchmark.ViewerProcess;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.whep.internal.WebrtcbinClient;

import org.freedesktop.gstreamer.Element;

/**
 * WHEP viewers of the container: the WHEP tests' {@code webrtcbin} player, offering H.264 with its candidates in
 * the offer, POSTing it to {@code /whep/<source>} with a viewer token and ending its session with a DELETE. In a
 * process of their own for the cost runs ({@link ViewerCommandLoop}); the time to first frame counts from the POST.
 */
public final class WhepViewers {

    private WhepViewers() {
    }

    /** A process of WHEP viewers of {@code url}, trusting {@code ca}, with a viewer token. */
    static ViewerProcess start(String url, Path ca, String token) throws java.io.IOException {
        return start(url, ca, token, -1);
    }

    /** As {@link #start(String, Path, String)}, with a jitter buffer of {@code jitterMillis} (-1: the default). */
    static ViewerProcess start(String url, Path ca, String token, int jitterMillis) throws java.io.IOException {
        return ViewerProcess.start("WHEP", jitterMillis, WhepViewers.class.getName(), url, ca.toString(), token);
    }

    public static void main(String[] args) throws Exception {
        GstInit.ensure();
        HttpClient http = http(Path.of(args[1]));
        int jitterMillis = Integer.getInteger(ViewerProcess.JITTER_PROPERTY, -1);
        ViewerCommandLoop.serve(decode -> {
            WebrtcbinClient client = decode ? new WebrtcbinClient() : new WebrtcbinClient().withoutDecoding();
            if (jitterMillis >= 0) {
                client.latency(jitterMillis);
            }
            Session session = new Session(http, URI.create(args[0]), args[2], client);
            session.play();
            return session;
        });
        // the HTTP client's and GStreamer's threads would keep the process alive after "bye"
        System.exit(0);
    }

    /** An HTTPS client that trusts the container's CA, as its WHEP clients are told to. */
    static HttpClient http(Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** One WHEP session: {@link #play()} POSTs, {@link #close()} DELETEs it and stops the client. */
    static final class Session implements ViewerCommandLoop.Viewer, AutoCloseable {
        private final HttpClient http;
        private final URI url;
        private final String token;
        private final WebrtcbinClient client;
        private volatile long postNanos;
        private volatile URI location;

        Session(HttpClient http, URI url, String token, WebrtcbinClient client) {
            this.http = http;
            this.url = url;
            this.token = token;
            this.client = client;
        }

        /** A session whose video ends in {@code tail} (after the depayloader), with no jitter-buffer delay. */
        static Session reading(HttpClient http, URI url, String token, Supplier<List<Element>> tail) {
            return new Session(http, url, token, new WebrtcbinClient().latency(0).videoTail(tail));
        }

        void play() throws Exception {
            HttpResponse<String> created = client.play(offer -> {
                postNanos = System.nanoTime();
                return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                        .POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }, List.of(RtpCodec.H264));
            if (created.statusCode() != 201) {
                throw new IllegalStateException("POST " + url + " answered " + created.statusCode() + ": "
                        + created.body());
            }
            location = url.resolve(client.location());
        }

        @Override
        public long videoFrames() {
            return client.videoFrames();
        }

        @Override
        public long firstFrameMillis() {
            long first = client.firstFrameNanos();
            return first == 0 ? -1 : (first - postNanos) / 1_000_000;
        }

        @Override
        public void close() {
            try {
                if (location != null) {
                    http.send(HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                client.close();
            } catch (Exception e) {
                // the session ends on the device's side when its peer goes silent
            }
        }
    }
}
