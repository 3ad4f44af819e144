package io.pistream.webconsole.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enables the section of each optional feature whose package this bundle is wired to. The imports of
 * {@code io.pistream.rtsp}, {@code io.pistream.webrtc}, {@code io.pistream.recorder} and {@code io.pistream.janus} are optional: without the
 * feature the package is not wired, its section stays disabled and its classes are never loaded. Installing the
 * feature refreshes this bundle (Karaf rewires optional imports), which enables the section.
 */
@Component(service = {}, immediate = true)
public final class OptionalSections {

    private static final Logger LOG = LoggerFactory.getLogger(OptionalSections.class);

    /** The section component of each optional package. */
    static final Map<String, String> SECTIONS = sections();

    @Activate
    public OptionalSections(ComponentContext context) {
        BundleWiring wiring = context.getBundleContext().getBundle().adapt(BundleWiring.class);
        for (String component : enabled(wiredPackages(wiring))) {
            context.enableComponent(component);
        }
    }

    /** The section components to enable when these packages are wired. */
    static List<String> enabled(Set<String> wiredPackages) {
        List<String> components = SECTIONS.entrySet().stream().filter(entry -> wiredPackages.contains(entry.getKey()))
                .map(Map.Entry::getValue).toList();
        LOG.debug("pistream web console sections: {}", components);
        return components;
    }

    private static Set<String> wiredPackages(BundleWiring wiring) {
        if (wiring == null) {
            return Set.of();
        }
        return wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream().map(BundleWire::getCapability)
                .map(capability -> (String) capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))
                .collect(Collectors.toSet());
    }

    private static Map<String, String> sections() {
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("io.pistream.webrtc", "io.pistream.webconsole.internal.WebRtcSection");
        sections.put("io.pistream.rtsp", "io.pistream.webconsole.internal.RtspSection");
        sections.put("io.pistream.recorder", "io.pistream.webconsole.internal.RecorderSection");
        sections.put("io.pistream.janus", "io.pistream.webconsole.internal.JanusSection");
        return sections;
    }
}
