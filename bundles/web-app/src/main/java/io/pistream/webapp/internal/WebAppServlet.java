package io.pistream.webapp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Serves the browser app's files from this bundle's {@code /webapp} folder, {@code /} being the app's page.
 * Only the files the build produced are served; servlets with longer patterns (signalling, the web console)
 * keep their paths.
 */
@Component(service = Servlet.class)
// named: Pax Web refuses a second unnamed servlet in the same context (both would be "javax.servlet.Servlet")
@HttpWhiteboardServletName("pistream-webapp")
@HttpWhiteboardServletPattern("/*")
public final class WebAppServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String[] FILES = {"index.html", "app.js", "stats.js", "style.css", "lib/gstwebrtc-api.js"};

    private record File(byte[] content, String type) {
    }

    private final Map<String, File> files = new HashMap<>();

    @Activate
    public WebAppServlet() throws IOException {
        for (String name : FILES) {
            try (InputStream in = WebAppServlet.class.getResourceAsStream("/webapp/" + name)) {
                if (in == null) {
                    throw new IOException("The web app was built without " + name);
                }
                files.put("/" + name, new File(in.readAllBytes(), type(name)));
            }
        }
        files.put("/", files.get("/index.html"));
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html;charset=utf-8";
        }
        return name.endsWith(".css") ? "text/css;charset=utf-8" : "text/javascript;charset=utf-8";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        File file = files.get(request.getRequestURI());
        if (file == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType(file.type());
        response.setContentLength(file.content().length);
        response.setHeader("Cache-Control", "no-cache");
        response.getOutputStream().write(file.content());
    }
}
