package io.pistream.gstreamer.internal;

import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.GStreamerRuntime;


import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Registers the GStreamer runtime once the native library is initialised. */
@Component(service = GStreamerRuntime.class, immediate = true)
public final class GStreamerRuntimeComponent implements GStreamerRuntime {

    private final String version;

    @Activate
    public GStreamerRuntimeComponent() {
        this.version = GstInit.ensure();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public boolean hasElement(String factoryName) {
        return Elements.exists(factoryName);
    }
}
