package io.pistream.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS server with the keystore, and a client that trusts nothing but ca.crt and checks the host name. */
class TlsHandshakeTest {

    @TempDir
    Path directory;
    PkiFiles files;
    SSLServerSocket server;
    ExecutorService acceptor;

    @BeforeEach
    void startServer() throws Exception {
        files = new PkiFiles(directory.resolve("device"));
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(files, "device");
        ServerCertificates.issue(ca, SubjectAltNames.parse("localhost, 127.0.0.1"))
                .writeTo(files, "s3cret", ServerCertificates.DEFAULT_ALIAS);

        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(files.keystore())) {
            keystore.load(in, "s3cret".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keystore, "s3cret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
        acceptor = Executors.newSingleThreadExecutor();
        acceptor.submit(() -> {
            while (!server.isClosed()) {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.setSoTimeout(5000);
                    socket.startHandshake();
                    socket.getOutputStream().write('!');
                    socket.getOutputStream().flush();
                    socket.getInputStream().read(); // until the client closes
                } catch (Exception e) {
                    // a client that refused the certificate
                }
            }
            return null;
        });
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        acceptor.shutdownNow();
        acceptor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientTrustingOnlyTheCaAcceptsLocalhost() throws Exception {
        assertEquals('!', connect(files.caCertificate(), "localhost"));
    }

    @Test
    void aClientTrustingOnlyTheCaAcceptsTheIpAddress() throws Exception {
        assertEquals('!', connect(files.caCertificate(), "127.0.0.1"));
    }

    @Test
    void aClientTrustingAnotherCaRefuses() throws Exception {
        PkiFiles other = new PkiFiles(directory.resolve("other"));
        CertificateAuthority.loadOrCreate(other, "other");
        assertThrows(SSLHandshakeException.class, () -> connect(other.caCertificate(), "localhost"));
    }

    @Test
    void aNameNotInTheCertificateIsRefused() {
        assertThrows(SSLHandshakeException.class, () -> connect(files.caCertificate(), "pistream.example"));
    }

    /** Connects to the server as {@code host} (SNI and HTTPS endpoint identification) and reads one byte. */
    private int connect(Path caCertificate, String host) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);

        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host,
                server.getLocalPort(), true)) {
            socket.setSoTimeout(5000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getInputStream().read();
        }
    }
}
