package io.pistream.webrtc.testing;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;

import javax.servlet.DispatcherType;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import io.pistream.signalling.internal.jetty.SignallingEndpoint;
import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.testing.CallerFilter;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;

/**
 * The project's real signalling servlet in an embedded Jetty 9.4 on 127.0.0.1 (plain ws://), mapped as the
 * signalling component maps it on Pax Web, behind a stand-in for the HTTP door that authenticates the tokens of
 * {@link TestAccessControl}: clients sign in as the device ({@link #deviceConnector()}) or as a test user
 * ({@link #connectorAs}). It can be stopped and started again on the same port, to test reconnection.
 */
public final class SignallingServer implements AutoCloseable {

    private Server server;
    private SignallingEndpoint endpoint;
    private int port;
    private final java.nio.file.Path keyStore;
    private final String password;

    private SignallingServer(java.nio.file.Path keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    public static SignallingServer start() throws Exception {
        SignallingServer fixture = new SignallingServer(null, null);
        fixture.startOn(0);
        return fixture;
    }

    /** With TLS (wss://), the certificate and key from a PKCS12 key store. */
    public static SignallingServer startTls(java.nio.file.Path keyStore, String password) throws Exception {
        SignallingServer fixture = new SignallingServer(keyStore, password);
        fixture.startOn(0);
        return fixture;
    }

    private void startOn(int wanted) throws Exception {
        SignallingSettings settings = SignallingSettings.defaults().withKeepAlive(Duration.ofSeconds(30));
        server = new Server();
        ServerConnector connector;
        if (keyStore != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keyStore.toString());
            ssl.setKeyStorePassword(password);
            ssl.setKeyStoreType("PKCS12");
            org.eclipse.jetty.server.HttpConfiguration https = new org.eclipse.jetty.server.HttpConfiguration();
            https.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer());
            connector = new ServerConnector(server, new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                    new org.eclipse.jetty.server.HttpConnectionFactory(https));
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(wanted);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        TestAccessControl accessControl = TestAccessControl.enforcing();
        endpoint = new SignallingEndpoint(settings, accessControl, CallerFilter.DOOR);
        context.addFilter(new FilterHolder(new CallerFilter(accessControl)), "/*", EnumSet.of(DispatcherType.REQUEST));
        for (String pattern : settings.servletPatterns()) {
            context.addServlet(new ServletHolder(endpoint.newServlet()), pattern);
        }
        if (settings.rootEnabled()) {
            context.addFilter(new FilterHolder(endpoint.newRootFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    /** A WebSocket client that signs in with the device's token, as the device's producer and receiver do. */
    public static JdkWebSocketConnector deviceConnector() throws Exception {
        return connectorAs(TestAccessControl.DEVICE_TOKEN);
    }

    /** A WebSocket client that signs in with a token of {@link TestAccessControl} (plain ws://). */
    public static JdkWebSocketConnector connectorAs(String token) throws Exception {
        return new JdkWebSocketConnector(null, Duration.ofSeconds(5), () -> token);
    }

    /** {@code ws://127.0.0.1:<port>/signalling} ({@code wss://} with TLS). */
    public URI url() {
        return URI.create((keyStore != null ? "wss" : "ws") + "://127.0.0.1:" + port + "/signalling");
    }

    public int port() {
        return port;
    }

    /** Stops the server, dropping every connection. */
    public void stop() throws Exception {
        server.stop();
        endpoint.close();
    }

    /** Starts again on the same port. */
    public void restart() throws Exception {
        startOn(port);
    }

    @Override
    public void close() throws Exception {
        if (server.isStarted()) {
            stop();
        }
    }
}
