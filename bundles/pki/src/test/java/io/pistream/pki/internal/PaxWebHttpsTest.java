package io.pistream.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The Pax Web configuration update against an in-memory Configuration Admin. */
class PaxWebHttpsTest {

    /** One configuration in memory: its properties and how often it was updated. */
    static final class FakeConfiguration {
        Hashtable<String, Object> properties;
        int updates;
        String requestedPid;
        String requestedLocation;

        Configuration configuration() {
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "getPid":
                                return PaxWebHttps.PID;
                            case "getProperties":
                                return properties == null ? null : new Hashtable<>(properties);
                            case "update":
                                if (args == null || args.length == 0) {
                                    return null;
                                }
                                @SuppressWarnings("unchecked")
                                Dictionary<String, Object> updated = (Dictionary<String, Object>) args[0];
                                properties = new Hashtable<>();
                                for (String key : java.util.Collections.list(updated.keys())) {
                                    properties.put(key, updated.get(key));
                                }
                                updates++;
                                return null;
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        ConfigurationAdmin admin() {
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConfiguration") && args.length == 2) {
                            requestedPid = (String) args[0];
                            requestedLocation = (String) args[1];
                            return configuration();
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private static final Material MATERIAL = new Material(Path.of("/opt/karaf/etc/pki/keystore.p12"), "pw-1",
            "pistream", Path.of("/opt/karaf/etc/pki/ca.crt"), Path.of("/opt/karaf/etc/pki/server.crt"),
            Path.of("/opt/karaf/etc/pki/server.key"));

    @Test
    void writesTheHttpsKeysAndKeepsEveryOtherKey() throws Exception {
        FakeConfiguration fake = new FakeConfiguration();
        fake.properties = new Hashtable<>(Map.of(
                "org.osgi.service.http.enabled", "false",
                "org.osgi.service.http.port.secure", "8443",
                "org.ops4j.pax.web.ssl.keystore", "${karaf.etc}/keystore.p12",
                "org.ops4j.pax.web.ssl.keystore.password", "karaf",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/org.ops4j.pax.web.cfg"));

        Map<String, String> changed = PaxWebHttps.apply(fake.admin(), MATERIAL, "AA:BB");

        assertEquals(PaxWebHttps.PID, fake.requestedPid);
        assertEquals("?", fake.requestedLocation);
        assertEquals(1, fake.updates);
        assertEquals(Set.of(PaxWebHttps.SECURE_ENABLED, PaxWebHttps.KEYSTORE, PaxWebHttps.KEYSTORE_TYPE,
                PaxWebHttps.KEYSTORE_PASSWORD, PaxWebHttps.KEY_PASSWORD, PaxWebHttps.KEY_ALIAS,
                PaxWebHttps.CERTIFICATE_KEY), changed.keySet());
        Map<String, Object> expected = Map.of(
                "org.osgi.service.http.enabled", "false",
                "org.osgi.service.http.port.secure", "8443",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/org.ops4j.pax.web.cfg",
                "org.osgi.service.http.secure.enabled", "true",
                "org.ops4j.pax.web.ssl.keystore", "/opt/karaf/etc/pki/keystore.p12",
                "org.ops4j.pax.web.ssl.keystore.type", "PKCS12",
                "org.ops4j.pax.web.ssl.keystore.password", "pw-1",
                "org.ops4j.pax.web.ssl.key.password", "pw-1",
                "org.ops4j.pax.web.ssl.key.alias", "pistream",
                "io.pistream.pki.certificate.sha256", "AA:BB");
        assertEquals(expected, Map.copyOf(fake.properties));
    }

    @Test
    void writesNothingWhenNothingDiffers() throws Exception {
        FakeConfiguration fake = new FakeConfiguration();
        PaxWebHttps.apply(fake.admin(), MATERIAL, "AA:BB");
        assertEquals(1, fake.updates);
        // the same again, even with a typed boolean and another spelling of the type: no write, no Jetty restart
        fake.properties.put(PaxWebHttps.SECURE_ENABLED, Boolean.TRUE);
        fake.properties.put(PaxWebHttps.KEYSTORE_TYPE, "pkcs12");
        assertTrue(PaxWebHttps.apply(fake.admin(), MATERIAL, "AA:BB").isEmpty());
        assertEquals(1, fake.updates);
    }

    @Test
    void aNewCertificateOrPasswordIsWrittenOnce() throws Exception {
        FakeConfiguration fake = new FakeConfiguration();
        PaxWebHttps.apply(fake.admin(), MATERIAL, "AA:BB");

        assertEquals(Set.of(PaxWebHttps.CERTIFICATE_KEY),
                PaxWebHttps.apply(fake.admin(), MATERIAL, "CC:DD").keySet());
        assertEquals(2, fake.updates);
        assertEquals("CC:DD", fake.properties.get(PaxWebHttps.CERTIFICATE_KEY));

        Material newPassword = new Material(MATERIAL.keystorePath(), "pw-2", "pistream", MATERIAL.caCertificatePath(),
                MATERIAL.certificatePemPath(), MATERIAL.privateKeyPemPath());
        assertEquals(List.of(PaxWebHttps.KEYSTORE_PASSWORD, PaxWebHttps.KEY_PASSWORD),
                List.copyOf(PaxWebHttps.apply(fake.admin(), newPassword, "CC:DD").keySet()));
        assertEquals(3, fake.updates);
        assertTrue(PaxWebHttps.apply(fake.admin(), newPassword, "CC:DD").isEmpty());
        assertEquals(3, fake.updates);
    }

    @Test
    void switchesTheSecureConnectorOn() throws Exception {
        FakeConfiguration fake = new FakeConfiguration();
        fake.properties = new Hashtable<>(PaxWebHttps.settings(MATERIAL, "AA:BB"));
        fake.properties.put(PaxWebHttps.SECURE_ENABLED, "false");
        assertEquals(Map.of(PaxWebHttps.SECURE_ENABLED, "true"), PaxWebHttps.apply(fake.admin(), MATERIAL, "AA:BB"));
    }

    @Test
    void aKeystorePathWithAPlaceholderIsTheSamePath() {
        Hashtable<String, Object> current = new Hashtable<>(PaxWebHttps.settings(MATERIAL, "AA:BB"));
        current.put(PaxWebHttps.KEYSTORE, "${karaf.etc}/pki/./keystore.p12");
        assertTrue(PaxWebHttps.differences(current, PaxWebHttps.settings(MATERIAL, "AA:BB"),
                Map.of("karaf.etc", "/opt/karaf/etc")::get).isEmpty());
        assertEquals(Set.of(PaxWebHttps.KEYSTORE), PaxWebHttps.differences(current,
                PaxWebHttps.settings(MATERIAL, "AA:BB"), Map.of("karaf.etc", "/elsewhere")::get).keySet());
    }
}
