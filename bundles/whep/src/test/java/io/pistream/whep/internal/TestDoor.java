package io.pistream.whep.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

import javax.servlet.DispatcherType;

import io.pistream.signalling.testing.CallerFilter;
import io.pistream.signalling.testing.TestAccessControl;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The WHEP and WHIP servlets in an embedded Jetty 9.4 on 127.0.0.1, behind the stand-in for the HTTP door (bearer
 * tokens of {@link TestAccessControl}), as Pax Web mounts them; and an HTTP client to talk to them.
 */
final class TestDoor implements AutoCloseable {

    final WhepServlet whep = new WhepServlet(CallerFilter.DOOR);
    final WhipServlet whip = new WhipServlet(CallerFilter.DOOR);
    private final Server server = new Server();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;

    TestDoor start() throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new CallerFilter(TestAccessControl.enforcing())), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(whep), "/whep/*");
        context.addServlet(new ServletHolder(whip), "/whip/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return this;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpResponse<String> send(String method, String path, String token, String type, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            request.header("Content-Type", type);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String offer) throws Exception {
        return send("POST", path, token, SessionResources.SDP, offer);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
