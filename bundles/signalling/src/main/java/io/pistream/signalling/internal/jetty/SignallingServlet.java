package io.pistream.signalling.internal.jetty;

import java.io.IOException;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.websocket.server.WebSocketServerFactory;
import org.eclipse.jetty.websocket.servlet.WebSocketServlet;
import org.eclipse.jetty.websocket.servlet.WebSocketServletFactory;

/**
 * The signalling WebSocket servlet, registered on the HTTP whiteboard under {@code /signalling/*}.
 * A plain (non-upgrade) GET gets {@code 426 Upgrade Required}.
 */
public final class SignallingServlet extends WebSocketServlet {

    private static final long serialVersionUID = 1L;

    /**
     * Never used. {@link WebSocketServlet#init()} loads {@code WebSocketServerFactory} through the
     * thread context class loader, which Pax Web sets to the registering bundle's class loader; this
     * field makes bnd import {@code org.eclipse.jetty.websocket.server} so that the load succeeds.
     */
    @SuppressWarnings("unused")
    private transient WebSocketServerFactory importNeeded;

    private final transient SignallingEndpoint endpoint;

    SignallingServlet(SignallingEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void configure(WebSocketServletFactory factory) {
        endpoint.configure(factory);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // reached only when the request is not a WebSocket upgrade
        response.setStatus(426);
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "Upgrade");
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println("pistream signalling: connect with a WebSocket client");
    }
}
