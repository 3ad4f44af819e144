package io.pistream.signalling.internal.jetty;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.websocket.api.WebSocketPolicy;
import org.eclipse.jetty.websocket.server.WebSocketServerFactory;

/**
 * Accepts signalling WebSocket upgrades on the root path, so that {@code wss://host:8443} with no
 * path (the default of webrtcsrc and gstwebrtc-api) reaches the server, without taking the root away
 * from the web app.
 *
 * <p>Why a filter and not a servlet pattern: the servlet pattern for exactly the root is {@code ""},
 * and Pax Web turns {@code ""} into {@code "/"}, the default servlet, which would swallow every
 * request nothing else maps (and clash with the web app's own {@code "/"}). A filter on {@code /*}
 * sees every request of its context, whatever servlet (or Pax Web's 404 servlet) is mapped, and only
 * acts on a WebSocket upgrade whose path is exactly the root. Everything else goes down the chain
 * untouched: a plain GET on {@code /} is served by the web app, or gets Pax Web's 404 while there is
 * none. If {@code root.redirect} is configured, a plain GET or HEAD on {@code /} is redirected there
 * instead.
 *
 * <p>The filter owns its own Jetty WebSocket factory, created directly (this bundle imports
 * {@code org.eclipse.jetty.websocket.server}), with the same settings and router as the servlet.
 */
public final class RootUpgradeFilter implements Filter {

    private final SignallingEndpoint endpoint;
    private volatile WebSocketServerFactory factory;

    RootUpgradeFilter(SignallingEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        // the factory remembers the context class loader it was made with; make it this bundle's, as
        // Pax Web does for the servlet
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RootUpgradeFilter.class.getClassLoader());
        try {
            WebSocketServerFactory created = new WebSocketServerFactory(config.getServletContext(),
                    WebSocketPolicy.newServerPolicy());
            endpoint.configure(created);
            created.start();
            factory = created;
        } catch (Exception e) {
            throw new ServletException("Cannot start the signalling WebSocket factory", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        WebSocketServerFactory f = factory;
        if (f != null && request instanceof HttpServletRequest && response instanceof HttpServletResponse) {
            HttpServletRequest httpRequest = (HttpServletRequest) request;
            HttpServletResponse httpResponse = (HttpServletResponse) response;
            if (isRoot(httpRequest)) {
                if (f.isUpgradeRequest(httpRequest, httpResponse)) {
                    if (f.acceptWebSocket(httpRequest, httpResponse) || httpResponse.isCommitted()) {
                        return;
                    }
                } else if (redirects(httpRequest)) {
                    httpResponse.sendRedirect(endpoint.settings().rootRedirect());
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
        WebSocketServerFactory f = factory;
        factory = null;
        if (f != null) {
            try {
                f.stop();
            } catch (Exception e) {
                // stopping: nothing more to do
            }
        }
    }

    private boolean redirects(HttpServletRequest request) {
        String method = request.getMethod();
        return !endpoint.settings().rootRedirect().isEmpty() && ("GET".equals(method) || "HEAD".equals(method));
    }

    private static boolean isRoot(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        String path = contextPath != null && uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
        return path.isEmpty() || "/".equals(path);
    }
}
