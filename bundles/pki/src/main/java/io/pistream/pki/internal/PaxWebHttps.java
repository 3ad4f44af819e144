package io.pistream.pki.internal;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.pki.TlsMaterial;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Points Pax Web's HTTPS connector (PID {@code org.ops4j.pax.web}, {@code etc/org.ops4j.pax.web.cfg}) at the
 * keystore. Only the keys below are set, every other key is kept, and the configuration is written only when one of
 * them differs: Pax Web restarts Jetty on every change of its configuration.
 *
 * <p>Besides Pax Web's own keys, {@value #CERTIFICATE_KEY} records the fingerprint of the certificate in the
 * keystore. Pax Web ignores it, but it changes when the certificate is re-issued under the same path and password,
 * and that change makes Pax Web restart Jetty, which reads the keystore only when it starts.
 */
final class PaxWebHttps {

    static final String PID = "org.ops4j.pax.web";
    static final String SECURE_ENABLED = "org.osgi.service.http.secure.enabled";
    static final String KEYSTORE = "org.ops4j.pax.web.ssl.keystore";
    static final String KEYSTORE_TYPE = "org.ops4j.pax.web.ssl.keystore.type";
    static final String KEYSTORE_PASSWORD = "org.ops4j.pax.web.ssl.keystore.password";
    static final String KEY_PASSWORD = "org.ops4j.pax.web.ssl.key.password";
    static final String KEY_ALIAS = "org.ops4j.pax.web.ssl.key.alias";
    static final String CERTIFICATE_KEY = "io.pistream.pki.certificate.sha256";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private PaxWebHttps() {
    }

    /** The values Pax Web needs for {@code material}, whose certificate has this fingerprint. */
    static Map<String, String> settings(TlsMaterial material, String certificateSha256) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SECURE_ENABLED, "true");
        settings.put(KEYSTORE, material.keystorePath().toString());
        settings.put(KEYSTORE_TYPE, material.keystoreType());
        settings.put(KEYSTORE_PASSWORD, material.keystorePassword());
        settings.put(KEY_PASSWORD, material.keystorePassword());
        settings.put(KEY_ALIAS, material.keyAlias());
        settings.put(CERTIFICATE_KEY, certificateSha256);
        return settings;
    }

    /** Gets the configuration from Configuration Admin and {@link #apply(Configuration, Map) applies} the settings. */
    static Map<String, String> apply(ConfigurationAdmin configurationAdmin, TlsMaterial material,
            String certificateSha256) throws IOException {
        return apply(configurationAdmin.getConfiguration(PID, "?"), settings(material, certificateSha256));
    }

    /**
     * Writes {@code wanted} into the configuration, keeping its other keys, if any wanted value differs.
     *
     * @return the keys that differed (and were written); empty if nothing was written
     */
    static Map<String, String> apply(Configuration configuration, Map<String, String> wanted) throws IOException {
        Dictionary<String, Object> current = configuration.getProperties();
        Map<String, String> changes = differences(current, wanted, System::getProperty);
        if (changes.isEmpty()) {
            return changes;
        }
        Hashtable<String, Object> updated = new Hashtable<>();
        if (current != null) {
            for (String key : Collections.list(current.keys())) {
                updated.put(key, current.get(key));
            }
        }
        updated.putAll(changes);
        configuration.update(updated);
        return changes;
    }

    /** The entries of {@code wanted} whose value {@code current} lacks or has otherwise. */
    static Map<String, String> differences(Dictionary<String, ?> current, Map<String, String> wanted,
            UnaryOperator<String> properties) {
        Map<String, String> changes = new LinkedHashMap<>();
        wanted.forEach((key, value) -> {
            Object existing = current == null ? null : current.get(key);
            if (!same(key, existing, value, properties)) {
                changes.put(key, value);
            }
        });
        return changes;
    }

    private static boolean same(String key, Object existing, String wanted, UnaryOperator<String> properties) {
        if (existing == null) {
            return false;
        }
        String text = String.valueOf(existing).strip();
        if (key.equals(SECURE_ENABLED)) {
            return Boolean.parseBoolean(text) == Boolean.parseBoolean(wanted);
        }
        if (key.equals(KEYSTORE_TYPE)) {
            return text.equalsIgnoreCase(wanted);
        }
        if (key.equals(KEYSTORE)) {
            return samePath(substitute(text, properties), wanted);
        }
        return text.equals(wanted);
    }

    /** {@code ${karaf.etc}/pki/keystore.p12} as the file installer would read it, if a value was kept raw. */
    private static String substitute(String text, UnaryOperator<String> properties) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = properties.apply(matcher.group(1));
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static boolean samePath(String a, String b) {
        try {
            return Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return a.equals(b);
        }
    }
}
