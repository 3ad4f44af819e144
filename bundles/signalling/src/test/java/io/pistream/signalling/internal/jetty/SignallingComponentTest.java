package io.pistream.signalling.internal.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import javax.servlet.Filter;
import javax.servlet.Servlet;

import org.eclipse.jetty.websocket.servlet.WebSocketServlet;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.pistream.signalling.testing.CallerFilter;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * What the DS component registers on the HTTP whiteboard, with a recording BundleContext.
 */
class SignallingComponentTest {

    private static final class Registration {
        final Class<?> type;
        final Object service;
        final Dictionary<String, ?> properties;
        boolean unregistered;

        Registration(Class<?> type, Object service, Dictionary<String, ?> properties) {
            this.type = type;
            this.service = service;
            this.properties = properties;
        }
    }

    private final List<Registration> registrations = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { BundleContext.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] instanceof Class) {
                        Registration r = new Registration((Class<?>) args[0], args[1], (Dictionary<String, ?>) args[2]);
                        registrations.add(r);
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] { ServiceRegistration.class }, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        r.unregistered = true;
                                        return null;
                                    }
                                    throw new UnsupportedOperationException(m.getName());
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private SignallingComponent component(Map<String, Object> config) {
        return new SignallingComponent(context(), SignallingSettingsTest.config(config), Map.of(),
                TestAccessControl.enforcing(), CallerFilter.DOOR);
    }

    @Test
    void registersTheServletAndTheRootFilter() {
        SignallingComponent component = component(Map.of());
        try {
            assertEquals(2, registrations.size());
            Registration servlet = registrations.get(0);
            assertEquals(Servlet.class, servlet.type);
            assertInstanceOf(WebSocketServlet.class, servlet.service);
            assertArrayEquals(new String[] { "/signalling/*" },
                    (String[]) servlet.properties.get("osgi.http.whiteboard.servlet.pattern"));
            assertEquals("pistream-signalling", servlet.properties.get("osgi.http.whiteboard.servlet.name"));
            assertEquals("(osgi.http.whiteboard.context.name=default)",
                    servlet.properties.get("osgi.http.whiteboard.context.select"));

            Registration filter = registrations.get(1);
            assertEquals(Filter.class, filter.type);
            assertInstanceOf(RootUpgradeFilter.class, filter.service);
            assertArrayEquals(new String[] { "/*" }, (String[]) filter.properties.get("osgi.http.whiteboard.filter.pattern"));
            assertEquals("pistream-signalling-root", filter.properties.get("osgi.http.whiteboard.filter.name"));
            assertEquals(1000, filter.properties.get("service.ranking"));
            assertEquals("(osgi.http.whiteboard.context.name=default)",
                    filter.properties.get("osgi.http.whiteboard.context.select"));

            assertEquals(List.of(), component.peers());
            assertEquals(List.of(), component.sessions());
            // every reason, in the order of the enum, so that a metric exists before its first refusal
            assertEquals(List.of("UNAUTHENTICATED", "FORBIDDEN", "TOO_MANY_PEERS", "RATE", "FLOOD", "SEND_QUEUE",
                    "ROLE", "META", "SESSIONS"), List.copyOf(component.refusals().keySet()));
            assertTrue(component.refusals().values().stream().allMatch(count -> count == 0));
        } finally {
            component.deactivate();
        }
        assertTrue(registrations.stream().allMatch(r -> r.unregistered));
    }

    @Test
    void pathsDecideWhatIsRegistered() {
        SignallingComponent rootOnly = component(Map.of("paths", new String[] { "/" },
                "http_context_select", "(osgi.http.whiteboard.context.name=pistream)"));
        rootOnly.deactivate();
        assertEquals(1, registrations.size());
        assertEquals(Filter.class, registrations.get(0).type);
        assertEquals("(osgi.http.whiteboard.context.name=pistream)",
                registrations.get(0).properties.get("osgi.http.whiteboard.context.select"));

        registrations.clear();
        SignallingComponent noRoot = component(Map.of("paths", new String[] { "/a,/b/c" }));
        noRoot.deactivate();
        assertEquals(1, registrations.size());
        assertArrayEquals(new String[] { "/a/*", "/b/c/*" },
                (String[]) registrations.get(0).properties.get("osgi.http.whiteboard.servlet.pattern"));
    }
}
