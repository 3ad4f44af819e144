package io.pistream.webauth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.pistream.api.security.AccessControl;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP door, in front of every servlet and filter of the default whiteboard context (the web app, signalling,
 * the API to come): so a servlet is covered by being there, not by remembering to check. It leaves the caller in
 * {@link AccessControl#CALLER_ATTRIBUTE}; the servlet checks the role it needs.
 */
@Component(service = Filter.class, configurationPid = "io.pistream.webauth", property = {
    "osgi.http.whiteboard.filter.pattern=/*",
    "osgi.http.whiteboard.filter.name=pistream-auth",
    "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=default)",
    // before any other filter, the signalling upgrade filter at the root included
    "service.ranking:Integer=1000000"})
@Designate(ocd = WebAuthConfig.class)
public final class AuthFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

    private final HttpDoor door;

    /** Set on every request the filter let through, so that {@link WebDoorService} does not decide a second time. */
    static final String PASSED_ATTRIBUTE = "io.pistream.webauth.passed";

    @Activate
    public AuthFilter(@Reference AccessControl access, WebAuthConfig config) {
        this.door = HttpDoor.configured(access, config);
    }

    @Override
    public void init(FilterConfig config) {
        // configured by the component
    }

    @Override
    public void destroy() {
        // nothing held
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse reply = (HttpServletResponse) response;
        String origin = http.getHeader("Origin");
        String host = http.getHeader("Host");
        if (HttpDoor.isPreflight(http.getMethod(), origin, http.getHeader("Access-Control-Request-Method"))) {
            preflight(http, reply, origin, host);
            return;
        }
        if (origin != null && door.originAllowed(origin, host, http.isSecure())) {
            // set before the servlet writes: a page of an allowed origin may read the answer, refusals included
            reply.setHeader("Access-Control-Allow-Origin", origin);
            reply.addHeader("Vary", "Origin");
            reply.setHeader("Access-Control-Expose-Headers", HttpDoor.CORS_EXPOSED);
        }
        HttpDoor.Decision decision = door.decide(describe(http));
        if (decision instanceof HttpDoor.Serve serve) {
            http.setAttribute(PASSED_ATTRIBUTE, Boolean.TRUE);
            if (serve.caller() != null) {
                http.setAttribute(AccessControl.CALLER_ATTRIBUTE, serve.caller());
            }
            chain.doFilter(request, response);
            return;
        }
        HttpDoor.Refuse refuse = (HttpDoor.Refuse) decision;
        if (refuse.status() == 403) {
            LOG.warn("Refused {} {} from {}: {}", http.getMethod(), http.getRequestURI(), http.getRemoteAddr(),
                    refuse.reason());
        }
        refuse(reply, refuse);
    }

    private void preflight(HttpServletRequest http, HttpServletResponse reply, String origin, String host)
            throws IOException {
        if (door.preflight(origin, host, http.isSecure()) instanceof HttpDoor.Refuse refuse) {
            LOG.warn("Refused a preflight for {} {} from {}: {}", http.getHeader("Access-Control-Request-Method"),
                    http.getRequestURI(), http.getRemoteAddr(), refuse.reason());
            refuse(reply, refuse);
            return;
        }
        reply.setHeader("Access-Control-Allow-Origin", origin);
        reply.addHeader("Vary", "Origin");
        reply.setHeader("Access-Control-Allow-Methods", HttpDoor.CORS_METHODS);
        reply.setHeader("Access-Control-Allow-Headers", HttpDoor.CORS_HEADERS);
        reply.setHeader("Access-Control-Max-Age", "600");
        reply.setStatus(204);
    }

    static void refuse(HttpServletResponse reply, HttpDoor.Refuse refuse) throws IOException {
        if (refuse.challenge()) {
            reply.setHeader("WWW-Authenticate", "Bearer realm=\"" + AccessControl.REALM + "\"");
        }
        if (refuse.status() == 429) {
            reply.setHeader("Retry-After", "60");
        }
        reply.setStatus(refuse.status());
        reply.setContentType("application/json");
        reply.setCharacterEncoding("UTF-8");
        reply.setHeader("Cache-Control", "no-store");
        byte[] body = ("{\"error\":" + Json.quote(refuse.reason()) + "}").getBytes(StandardCharsets.UTF_8);
        reply.setContentLength(body.length);
        reply.getOutputStream().write(body);
    }

    static HttpDoor.Request describe(HttpServletRequest http) {
        String path = http.getRequestURI();
        String context = http.getContextPath();
        if (context != null && !context.isEmpty() && path.startsWith(context)) {
            path = path.substring(context.length());
        }
        return new HttpDoor.Request(http.getMethod(), path.isEmpty() ? "/" : path,
                "websocket".equalsIgnoreCase(http.getHeader("Upgrade")), http.isSecure(), http.getHeader("Host"),
                http.getHeader("Origin"), http.getHeader("Authorization"), tokenParameter(http),
                sessionCookie(http), http.getRemoteAddr());
    }

    /** ?token= from the query string only: reading parameters would consume a form body meant for the servlet. */
    private static String tokenParameter(HttpServletRequest http) {
        String query = http.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                return java.net.URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String sessionCookie(HttpServletRequest http) {
        Cookie[] cookies = http.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (HttpDoor.COOKIE.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }
}
