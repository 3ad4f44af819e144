package io.pistream.webapp.internal;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/** Adds the security headers to the app's files. */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern({"/", "/index.html", "/app.js", "/stats.js", "/style.css", "/lib/*"})
public final class WebAppFilter implements Filter {

    @Override
    public void init(javax.servlet.FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void destroy() {
        // nothing to release
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse reply = (HttpServletResponse) response;
        reply.setHeader("Content-Security-Policy",
                SecurityHeaders.contentSecurityPolicy(http.getHeader("Host"), request.isSecure()));
        reply.setHeader("X-Content-Type-Options", "nosniff");
        reply.setHeader("Referrer-Policy", "no-referrer");
        reply.setHeader("X-Frame-Options", "DENY");
        reply.setHeader("Permissions-Policy", "camera=(self), microphone=(self), fullscreen=(self)");
        if (request.isSecure()) {
            reply.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
        chain.doFilter(request, response);
    }
}
