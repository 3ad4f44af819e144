package io.pistream.signalling.internal.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SignallingSettingsTest {

    /** A config annotation instance: defaults, overridden by {@code values} (method name → value). */
    static SignallingConfig config(Map<String, Object> values) {
        return (SignallingConfig) Proxy.newProxyInstance(SignallingConfig.class.getClassLoader(),
                new Class<?>[] { SignallingConfig.class }, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if ("annotationType".equals(method.getName())) {
                        return SignallingConfig.class;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        SignallingSettings fromConfig = SignallingSettings.from(config(Map.of()));
        assertEquals(SignallingSettings.defaults(), fromConfig);
        assertEquals(List.of("/", "/signalling"), fromConfig.paths());
        assertEquals(List.of("/signalling/*"), fromConfig.servletPatterns());
        assertTrue(fromConfig.rootEnabled());
        assertEquals(List.of(), fromConfig.allowedOrigins());
        assertFalse(fromConfig.tokenRequired());
        assertEquals(256 * 1024, fromConfig.maxMessageSize());
        assertEquals(1000, fromConfig.sendQueueSize());
        assertEquals(Duration.ofSeconds(30), fromConfig.keepAlive());
        assertEquals("", fromConfig.rootRedirect());
        assertEquals("(osgi.http.whiteboard.context.name=default)", fromConfig.contextSelect());
    }

    @Test
    void valuesAreNormalised() {
        SignallingSettings settings = SignallingSettings.from(config(Map.of(
                "paths", new String[] { " signalling/ , /ws//", "/", "", "/signalling" },
                "allowed_origins", new String[] { "https://A.example/, http://b:8080", "" },
                "token", " t ",
                "keepalive_seconds", 0,
                "http_context_select", " ")));
        assertEquals(List.of("/signalling", "/ws", "/"), settings.paths());
        assertEquals(List.of("/signalling/*", "/ws/*"), settings.servletPatterns());
        assertEquals(List.of("https://a.example", "http://b:8080"), settings.allowedOrigins());
        assertEquals("t", settings.token());
        assertEquals(Duration.ZERO, settings.keepAlive());
        assertEquals(SignallingSettings.DEFAULT_CONTEXT_SELECT, settings.contextSelect());
        assertFalse(SignallingSettings.defaults().withPaths(List.of("/x")).rootEnabled());
        assertTrue(settings.toString().contains("token=on"));
        assertFalse(settings.toString().contains("t,"));
    }

    @Test
    void theShippedCfgFileHoldsTheDefaults() throws Exception {
        java.util.Properties cfg = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(
                java.nio.file.Path.of("src", "main", "cfg", "io.pistream.signalling.cfg"))) {
            cfg.load(in);
        }
        java.lang.reflect.Method[] attributes = SignallingConfig.class.getDeclaredMethods();
        assertEquals(attributes.length, cfg.size(), "one line per attribute: " + cfg.keySet());
        for (java.lang.reflect.Method attribute : attributes) {
            String key = attribute.getName().replace('_', '.');
            String value = cfg.getProperty(key);
            assertTrue(value != null, "missing " + key);
            Object defaultValue = attribute.getDefaultValue();
            if (defaultValue instanceof Integer) {
                assertEquals(defaultValue, Integer.valueOf(value), key);
            } else if (defaultValue instanceof String[]) {
                List<String> expected = List.of((String[]) defaultValue);
                List<String> actual = value.isBlank() ? List.of()
                        : java.util.Arrays.stream(value.split(",")).map(String::trim).toList();
                assertEquals(expected, actual, key);
            } else {
                assertEquals(defaultValue, value, key);
            }
        }
    }

    @Test
    void invalidValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SignallingSettings.defaults().withPaths(List.of("/a/*")));
        assertThrows(IllegalArgumentException.class, () -> SignallingSettings.defaults().withPaths(List.of(" ")));
        assertThrows(IllegalArgumentException.class, () -> SignallingSettings.defaults().withMaxMessageSize(10));
        assertThrows(IllegalArgumentException.class, () -> SignallingSettings.defaults().withSendQueueSize(0));
        assertThrows(IllegalArgumentException.class,
                () -> SignallingSettings.defaults().withKeepAlive(Duration.ofSeconds(-1)));
    }
}
