package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The doors of the HTTPS connector as a user meets them: the web app's login, logout and session cookie, the
 * signalling handshake (credentials and Origin), tokens made and revoked in the shell, users added in the shell,
 * throttled failed logins, and a users file holding only slow salted hashes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityDistributionIT extends PistreamTestSupport {

    private final FeaturesService features = liveFeatures();

    @Inject
    private SessionFactory shell;

    @Inject
    private org.osgi.service.cm.ConfigurationAdmin configurations;

    @Inject
    private BundleContext context;

    private SSLContext tls;
    private int port;

    @Configuration
    public Option[] config() {
        return distribution(
                // the device's heap: a crowd of password checks must fit in it
                new org.ops4j.pax.exam.options.extra.VMOption("-Xmx160m"),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", freePort()),
                editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "port", freePort()));
    }

    @Before
    public void webAppIsUp() throws Exception {
        features.installFeature("web-app", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path ca = Path.of(System.getProperty("karaf.etc"), "pki", "ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate exists");
        tls = trusting(ca);
        // the port was chosen where the container was configured (config() runs in the test JVM): read it back
        port = httpsPort();
        awaitTrue(() -> status("GET /api/session HTTP/1.1") == 401, 60_000, "the session endpoint answers");
        // Pax Web restarts the context for each servlet and filter that registers: wait until all have come
        awaitTrue(() -> status("GET / HTTP/1.1") == 200, 60_000, "the web app answers");
        awaitTrue(() -> {
            try {
                return upgrade("Authorization: " + basic(VIEWER), null).status() == 101;
            } catch (Exception e) {
                return false;
            }
        }, 60_000, "signalling answers a viewer");
    }

    /**
     * Karaf's JAAS bundle waits at its start for the encryption service its configuration names; when that service
     * came later (through Declarative Services) every boot stood still for 10 s in that wait. And the realm comes
     * before the web stack, since every door waits for it.
     */
    @Test
    public void thePasswordHashingServiceIsThereBeforeKarafsJaasBundleStarts() throws Exception {
        Bundle jaas = bundleNamed("org.apache.karaf.jaas.modules");
        Bundle security = bundleNamed("io.pistream.security");
        int jaasLevel = jaas.adapt(BundleStartLevel.class).getStartLevel();
        int securityLevel = security.adapt(BundleStartLevel.class).getStartLevel();
        assertTrue("security starts at " + securityLevel + ", JAAS at " + jaasLevel, securityLevel < jaasLevel);
        // the realm (which the security service and so the RTSP server wait for) comes with the media path, not
        // after the web stack: at 30 it started after Pax Web and the console, 0.5 s later on every first start
        int webLevel = bundleNamed("org.ops4j.pax.web.pax-web-runtime").adapt(BundleStartLevel.class).getStartLevel();
        assertTrue("JAAS starts at " + jaasLevel + ", Pax Web at " + webLevel, jaasLevel < webLevel);
        ServiceReference<?>[] hashing = context.getServiceReferences(
                "org.apache.karaf.jaas.modules.EncryptionService", "(name=pistream)");
        assertNotNull("no password encryption service named pistream", hashing);
        assertEquals(security, hashing[0].getBundle());
        // registered by the bundle's activator, not by a DS component, which would only come after SCR started
        assertNull(hashing[0].getProperty("component.name"));
    }


    @Test
    public void theUsersFileHoldsOnlyArgon2idHashes() throws Exception {
        Properties users = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("karaf.etc"), "users.properties"))) {
            users.load(in);
        }
        for (String user : List.of(ADMIN, VIEWER, TALKER)) {
            String stored = users.getProperty(user);
            assertTrue(user + ": " + stored, stored.startsWith("{CRYPT}argon2id:19:"));
            assertFalse(stored.contains(TEST_PASSWORD));
        }
        Path digest = Path.of(System.getProperty("karaf.etc"), "pistream.digest");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(digest)));
    }

    @Test
    public void theWebAppLogsInAndOut() throws Exception {
        RawHttps.Response wrong = post("/api/session", "{\"user\":\"talker\",\"password\":\"nope\"}", null, null);
        assertEquals(401, wrong.status());
        assertTrue(wrong.body(), wrong.body().contains("Wrong user name or password"));

        RawHttps.Response login = post("/api/session",
                "{\"user\":\"talker\",\"password\":\"" + TEST_PASSWORD + "\"}", null, null);
        assertEquals(login.body(), 200, login.status());
        String setCookie = login.headers().get("set-cookie");
        assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("Secure")
                && setCookie.contains("SameSite=Strict") && setCookie.contains("Max-Age="));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertTrue(login.body(), login.body().contains("\"user\":\"talker\"") && login.body().contains("\"talk\""));

        RawHttps.Response me = exchange("GET /api/session HTTP/1.1\r\nCookie: " + cookie, null);
        assertEquals(200, me.status());
        assertEquals(204, exchange("DELETE /api/session HTTP/1.1\r\nCookie: " + cookie, null).status());
        assertEquals("the session ended at logout", 401,
                exchange("GET /api/session HTTP/1.1\r\nCookie: " + cookie, null).status());

        assertEquals("the login page itself is public", 200, status("GET / HTTP/1.1"));
        assertEquals("a login from a foreign page is refused", 403, post("/api/session",
                "{\"user\":\"talker\",\"password\":\"" + TEST_PASSWORD + "\"}", "https://evil.example", null).status());
    }

    @Test
    public void theSignallingHandshakeNeedsCredentialsAndTheDevicesOwnOrigin() throws Exception {
        String token = lastLine(execute(shell, "pistream:token create --role viewer --label itest --days 1"));
        assertTrue(token, token.split("\\.").length == 3);

        assertEquals("no credentials, no handshake", 401, upgrade(null, null).status());
        assertEquals(101, upgrade("Authorization: Bearer " + token, null).status());
        assertEquals(101, upgrade("Authorization: Bearer " + token, "https://localhost:" + port).status());
        RawHttps.Response foreign = upgrade("Authorization: Bearer " + token, "https://evil.example");
        assertEquals(403, foreign.status());
        assertTrue(foreign.body(), foreign.body().contains("evil.example"));
        assertEquals("a forged token", 401, upgrade("Authorization: Bearer " + token.substring(0, token.length() - 2)
                + "xx", null).status());

        String list = execute(shell, "pistream:token list");
        String id = Arrays.stream(list.split("\n")).filter(line -> line.contains("itest")).findFirst()
                .orElseThrow(() -> new AssertionError(list)).trim().split("\\s+")[0];
        execute(shell, "pistream:token revoke " + id);
        RawHttps.Response revoked = upgrade("Authorization: Bearer " + token, null);
        assertEquals(401, revoked.status());
        assertTrue(revoked.body(), revoked.body().contains("revoked"));
    }

    @Test
    public void usersAddedInTheShellLogInUntilRemoved() throws Exception {
        String added = execute(shell, "pistream:user add carol --role viewer");
        String password = lastLine(added);
        assertTrue(added, password.length() >= 16);
        assertTrue(execute(shell, "pistream:user list").contains("carol"));
        RawHttps.Response login = post("/api/session", "{\"user\":\"carol\",\"password\":\"" + password + "\"}",
                null, null);
        assertEquals(200, login.status());
        assertTrue(login.body(), login.body().contains("[\"viewer\"]"));
        execute(shell, "pistream:user remove carol");
        assertEquals(401, post("/api/session", "{\"user\":\"carol\",\"password\":\"" + password + "\"}", null, null)
                .status());
    }

    @Test
    public void failedLoginsAreRefusedPerAddressForAWhile() throws Exception {
        // from 127.0.0.9, so that the other tests' address is not the one throttled
        String wrong = "{\"user\":\"viewer\",\"password\":\"wrong\"}";
        for (int i = 0; i < 6; i++) {
            assertEquals(401, post("/api/session", wrong, null, "127.0.0.9").status());
        }
        RawHttps.Response refused = post("/api/session",
                "{\"user\":\"viewer\",\"password\":\"" + TEST_PASSWORD + "\"}", null, "127.0.0.9");
        assertEquals("right credentials are refused too, for a while", 429, refused.status());
        assertTrue(refused.body(), refused.body().contains("Too many failed logins"));
        assertEquals("60", refused.headers().get("retry-after"));
        assertEquals("another address is not affected", 200, post("/api/session",
                "{\"user\":\"viewer\",\"password\":\"" + TEST_PASSWORD + "\"}", null, null).status());
    }

    @Test
    public void aCrowdOfLoginsAtOnceIsAnsweredWithinTheDevicesHeap() throws Exception {
        // each password check takes 19 MiB: twelve at once were more than the 160 MiB heap before they queued
        java.util.concurrent.ExecutorService crowd = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(crowd.submit(() -> post("/api/session",
                        "{\"user\":\"talker\",\"password\":\"" + TEST_PASSWORD + "\"}", null, null).status()));
            }
            for (java.util.concurrent.Future<Integer> answer : answers) {
                int status = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue("each login is answered 200, or 429 when the device is busy: " + status,
                        status == 200 || status == 429);
            }
        } finally {
            crowd.shutdownNow();
        }
        assertEquals("the device still answers", 200, post("/api/session",
                "{\"user\":\"viewer\",\"password\":\"" + TEST_PASSWORD + "\"}", null, null).status());
    }

    @Test
    public void authOffOpensTheDoorsAndSaysSo() throws Exception {
        org.osgi.service.cm.Configuration security = configurations.getConfiguration("io.pistream.security", null);
        java.util.Dictionary<String, Object> properties = security.getProperties();
        properties.put("auth", "off");
        security.update(properties);
        try {
            awaitTrue(() -> status("GET /api/session HTTP/1.1") == 200, 30_000, "the door opens with auth = off");
            RawHttps.Response me = exchange("GET /api/session HTTP/1.1", null);
            assertTrue(me.body(), me.body().contains("\"authentication\":\"off\""));
            assertEquals("signalling without credentials", 101, upgrade(null, null).status());
            assertEquals("Origins are still checked", 403, upgrade(null, "https://evil.example").status());
        } finally {
            properties.put("auth", "on");
            security.update(properties);
        }
        awaitTrue(() -> status("GET /api/session HTTP/1.1") == 401, 30_000, "the door closes again with auth = on");
        // signalling registers again after the login endpoint (Pax Web restarts the context for each): 404 meanwhile
        awaitTrue(() -> {
            try {
                return upgrade(null, null).status() == 401;
            } catch (Exception e) {
                return false;
            }
        }, 30_000, "signalling refuses a handshake without credentials again");
    }

    private RawHttps.Response upgrade(String authorization, String origin) throws Exception {
        return exchange("GET /signalling HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
                + (authorization == null ? "" : "\r\n" + authorization)
                + (origin == null ? "" : "\r\nOrigin: " + origin), null);
    }

    private RawHttps.Response post(String path, String json, String origin, String from) throws Exception {
        return exchange("POST " + path + " HTTP/1.1\r\nContent-Type: application/json"
                + (origin == null ? "" : "\r\nOrigin: " + origin) + "\r\n\r\n" + json, from);
    }

    private RawHttps.Response exchange(String request, String from) throws Exception {
        return RawHttps.exchange(tls, from, port, request);
    }

    private int status(String request) {
        try {
            return exchange(request, null).status();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.trim().split("\n");
        return lines[lines.length - 1].trim();
    }
}
