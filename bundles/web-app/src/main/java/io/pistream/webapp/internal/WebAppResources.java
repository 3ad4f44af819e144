package io.pistream.webapp.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardResource;

/** The browser app's files, served from this bundle's {@code /webapp} folder at the root of the web server. */
@Component(service = WebAppResources.class)
@HttpWhiteboardResource(pattern = {"/index.html", "/app.js", "/stats.js", "/style.css", "/lib/*"},
        prefix = "/webapp")
public final class WebAppResources {
}
