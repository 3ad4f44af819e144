package io.pistream.signalling.conformance;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;

import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import io.pistream.api.security.AccessControl;
import io.pistream.signalling.internal.jetty.SignallingEndpoint;
import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.testing.CallerFilter;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * The real signalling servlet and root filter in an embedded Jetty 9.4 on 127.0.0.1, mapped as the
 * component maps them on Pax Web's whiteboard: the servlet on each {@code <path>/*}, the filter on
 * {@code /*}, behind a stand-in for the HTTP door ({@link CallerFilter}) that authenticates with
 * {@link TestAccessControl}'s tokens. Optionally TLS, and optionally a stand-in for the web app on {@code /}.
 */
public final class TestServer implements AutoCloseable {

    /** What the stand-in web app answers on a plain GET. */
    public static final String WEB_APP_PAGE = "web app page";

    private final Server server;
    private final SignallingEndpoint endpoint;
    private final boolean tls;
    private final int port;

    private TestServer(SignallingSettings settings, AccessControl accessControl, Path keyStore,
            String keyStorePassword, boolean webApp, int socketSendBuffer) throws Exception {
        this.tls = keyStore != null;
        this.server = new Server();
        ServerConnector connector;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keyStore.toString());
            ssl.setKeyStorePassword(keyStorePassword);
            ssl.setKeyStoreType("PKCS12");
            HttpConfiguration https = new HttpConfiguration();
            https.addCustomizer(new SecureRequestCustomizer());
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
        } else {
            connector = new ServerConnector(server);
        }
        if (socketSendBuffer > 0) {
            connector.setAcceptedSendBufferSize(socketSendBuffer);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        this.endpoint = new SignallingEndpoint(settings, accessControl, CallerFilter.DOOR);
        // first, as the HTTP door runs before every servlet and filter of the context
        context.addFilter(new FilterHolder(new CallerFilter(accessControl)), "/*", EnumSet.of(DispatcherType.REQUEST));
        for (String pattern : settings.servletPatterns()) {
            context.addServlet(new ServletHolder(endpoint.newServlet()), pattern);
        }
        if (settings.rootEnabled()) {
            context.addFilter(new FilterHolder(endpoint.newRootFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        if (webApp) {
            context.addServlet(new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.setContentType("text/plain");
                    resp.getWriter().print(WEB_APP_PAGE);
                }
            }), "/");
        }
        server.setHandler(context);
        server.start();
        this.port = connector.getLocalPort();
    }

    public static TestServer start(SignallingSettings settings) throws Exception {
        return start(settings, TestAccessControl.enforcing());
    }

    public static TestServer start(SignallingSettings settings, AccessControl accessControl) throws Exception {
        return new TestServer(settings, accessControl, null, null, false, 0);
    }

    /**
     * With small kernel send buffers (a few KiB instead of the megabytes of loopback), so that what a client does
     * not read piles up in the server's own queues at once.
     */
    public static TestServer startWithSmallSocketBuffers(SignallingSettings settings) throws Exception {
        return new TestServer(settings, TestAccessControl.enforcing(), null, null, false, 8192);
    }

    public static TestServer startWithWebApp(SignallingSettings settings) throws Exception {
        return new TestServer(settings, TestAccessControl.enforcing(), null, null, true, 0);
    }

    public static TestServer startTls(SignallingSettings settings, Path keyStore, String password) throws Exception {
        return new TestServer(settings, TestAccessControl.enforcing(), keyStore, password, false, 0);
    }

    /** @return {@code ws://127.0.0.1:port} + path (no path at all for {@code ""}) */
    public URI ws(String path) {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + port + path);
    }

    public URI http(String path) {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    public SignallingEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        endpoint.close();
    }
}
