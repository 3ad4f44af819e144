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

import io.pistream.signalling.internal.router.SignallingLimits;

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
        SignallingLimits limits = fromConfig.limits();
        assertEquals(256 * 1024, limits.maxMessageSize());
        assertEquals(1024 * 1024, limits.sendQueueBytes());
        assertEquals(64, limits.maxPeers());
        assertEquals(8, limits.maxSessionsPerPeer());
        assertEquals(4096, limits.maxMetaBytes());
        assertEquals(50, limits.messagesPerSecond());
        assertEquals(50, limits.messageBurst());
        // what the clients can hold at most, against the 160 MiB heap of the distribution
        assertEquals(80L << 20, limits.worstCaseClientBytes());
        assertEquals(Duration.ofSeconds(30), fromConfig.keepAlive());
        assertEquals("", fromConfig.rootRedirect());
        assertEquals("(osgi.http.whiteboard.context.name=default)", fromConfig.contextSelect());
    }

    @Test
    void valuesAreNormalised() {
        SignallingSettings settings = SignallingSettings.from(config(Map.of(
                "paths", new String[] { " signalling/ , /ws//", "/", "", "/signalling" },
                "allowed_origins", new String[] { "https://A.example/, http://b:8080", "" },
                "max_peers", 3,
                "messages_burst", 7,
                "keepalive_seconds", 0,
                "http_context_select", " ")));
        assertEquals(List.of("/signalling", "/ws", "/"), settings.paths());
        assertEquals(List.of("/signalling/*", "/ws/*"), settings.servletPatterns());
        assertEquals(List.of("https://a.example", "http://b:8080"), settings.allowedOrigins());
        assertEquals(3, settings.limits().maxPeers());
        assertEquals(7, settings.limits().messageBurst());
        assertEquals(Duration.ZERO, settings.keepAlive());
        assertEquals(SignallingSettings.DEFAULT_CONTEXT_SELECT, settings.contextSelect());
        assertFalse(SignallingSettings.defaults().withPaths(List.of("/x")).rootEnabled());
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
        SignallingLimits limits = SignallingLimits.defaults();
        assertThrows(IllegalArgumentException.class, () -> limits.withMaxMessageSize(10));
        // a client must be able to take the largest message it may be relayed
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> limits.withSendQueueBytes(limits.maxMessageSize() - 1));
        assertTrue(small.getMessage().startsWith("send.queue.bytes must be at least max.message.size"),
                small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> limits.withMaxPeers(0));
        assertThrows(IllegalArgumentException.class, () -> limits.withMaxSessionsPerPeer(0));
        assertThrows(IllegalArgumentException.class, () -> limits.withMaxMetaBytes(63));
        assertThrows(IllegalArgumentException.class, () -> limits.withMaxMetaBytes(limits.maxMessageSize() + 1));
        assertThrows(IllegalArgumentException.class, () -> limits.withMessageRate(0, 10));
        assertThrows(IllegalArgumentException.class, () -> limits.withMessageRate(10, 0));
        // and through the configuration, naming the key
        IllegalArgumentException fromConfig = assertThrows(IllegalArgumentException.class,
                () -> SignallingSettings.from(config(Map.of("max_peers", 0))));
        assertEquals("max.peers must be at least 1", fromConfig.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SignallingSettings.defaults().withKeepAlive(Duration.ofSeconds(-1)));
    }
}
