package io.pistream.webauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.api.security.Verdict;
import io.pistream.api.security.Verdict.Reason;

import org.junit.jupiter.api.Test;

class HttpDoorTest {

    /** Knows one token, one session and one password; throttles one address. */
    static final class Keys implements AccessControl {
        boolean enforced = true;

        @Override
        public boolean enforced() {
            return enforced;
        }

        @Override
        public Caller unchecked() {
            return new Caller("anonymous", EnumSet.allOf(Role.class), "none");
        }

        @Override
        public Verdict checkPassword(String user, String password, String clientAddress) {
            if ("203.0.113.9".equals(clientAddress)) {
                return new Verdict.Refused(Reason.THROTTLED, "Too many failed logins");
            }
            return "alice".equals(user) && "secret-password".equals(password)
                    ? new Verdict.Allowed(new Caller("alice", Set.of(Role.VIEWER), "password"))
                    : new Verdict.Refused(Reason.INVALID, "Wrong user name or password");
        }

        @Override
        public Verdict checkToken(String token, String clientAddress) {
            if ("203.0.113.9".equals(clientAddress)) {
                return new Verdict.Refused(Reason.THROTTLED, "Too many failed logins");
            }
            if (token == null) {
                return new Verdict.Refused(Reason.MISSING, "nothing");
            }
            return switch (token) {
                case "good-token" -> new Verdict.Allowed(new Caller("nvr", Set.of(Role.VIEWER), "token"));
                case "s.session" -> new Verdict.Allowed(new Caller("bob", Set.of(Role.TALK), "session"));
                case "old-token" -> new Verdict.Refused(Reason.EXPIRED, "The token expired");
                default -> new Verdict.Refused(Reason.INVALID, "The token is not one of this device's");
            };
        }

        @Override
        public void recordFailure(String door, String clientAddress) {
        }

        @Override
        public boolean throttled(String clientAddress) {
            return false;
        }

        @Override
        public Session openSession(Caller caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void closeSession(String sessionValue) {
        }

        @Override
        public Map<String, DigestSecret> digestSecrets() {
            return Map.of();
        }

        @Override
        public AutoCloseable onAccountsChanged(Runnable listener) {
            return () -> { };
        }

        @Override
        public String deviceToken() {
            return "device";
        }
    }

    private final Keys keys = new Keys();
    private final HttpDoor door = new HttpDoor(keys, List.of("https://dashboard.example:8123"));

    private static HttpDoor.Request get(String path) {
        return new HttpDoor.Request("GET", path, false, true, "pi.local:8443", null, null, null, null, "192.0.2.1");
    }

    private static HttpDoor.Request upgrade(String origin, String authorization, String token, String cookie) {
        return new HttpDoor.Request("GET", "/signalling", true, true, "pi.local:8443", origin, authorization, token,
                cookie, "192.0.2.1");
    }

    @Test
    void strangersGetTheLoginPageAndNothingElse() {
        assertNull(((HttpDoor.Serve) door.decide(get("/"))).caller());
        assertNull(((HttpDoor.Serve) door.decide(get("/app.js"))).caller());
        assertNull(((HttpDoor.Serve) door.decide(get("/lib/gstwebrtc-api.js"))).caller());
        HttpDoor.Refuse refused = assertInstanceOf(HttpDoor.Refuse.class, door.decide(get("/api/recordings")));
        assertEquals(401, refused.status());
        assertTrue(refused.challenge());
        assertEquals(401, ((HttpDoor.Refuse) door.decide(upgrade(null, null, null, null))).status(),
                "the signalling handshake needs credentials even at a public path");
        assertEquals(401, ((HttpDoor.Refuse) door.decide(new HttpDoor.Request("GET", "/", true, true,
                "pi.local:8443", null, null, null, null, "192.0.2.1"))).status(), "nor at the root");
        assertEquals(401, ((HttpDoor.Refuse) door.decide(get("/lib/../api/x"))).status());
    }

    @Test
    void eachKindOfCredentialNamesTheCaller() {
        assertEquals("nvr", ((HttpDoor.Serve) door.decide(upgrade(null, "Bearer good-token", null, null))).caller().name());
        assertEquals("nvr", ((HttpDoor.Serve) door.decide(upgrade(null, null, "good-token", null))).caller().name());
        assertEquals("bob", ((HttpDoor.Serve) door.decide(upgrade("https://pi.local:8443", null, null, "s.session")))
                .caller().name());
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:secret-password".getBytes(StandardCharsets.UTF_8));
        assertEquals("alice", ((HttpDoor.Serve) door.decide(upgrade(null, basic, null, null))).caller().name());
        HttpDoor.Refuse plain = (HttpDoor.Refuse) door.decide(new HttpDoor.Request("GET", "/signalling", true, false,
                "pi.local:8080", null, basic, null, null, "192.0.2.1"));
        assertTrue(plain.reason().contains("HTTPS only"), plain.reason());
        assertTrue(((HttpDoor.Refuse) door.decide(upgrade(null, "Bearer old-token", null, null))).reason()
                .contains("expired"));
        assertEquals(401, ((HttpDoor.Refuse) door.decide(upgrade(null, "Negotiate abc", null, null))).status());
    }

    @Test
    void foreignOriginsAreRefusedBeforeAnything() {
        HttpDoor.Refuse refused = (HttpDoor.Refuse) door.decide(upgrade("https://evil.example", "Bearer good-token",
                null, null));
        assertEquals(403, refused.status());
        assertTrue(refused.reason().contains("evil.example"));
        assertInstanceOf(HttpDoor.Serve.class, door.decide(upgrade("https://PI.local:8443", null, null, "s.session")));
        assertInstanceOf(HttpDoor.Serve.class, door.decide(upgrade("https://dashboard.example:8123", null, null,
                "s.session")), "listed in allowedOrigins");
        assertEquals(403, ((HttpDoor.Refuse) door.decide(upgrade("http://pi.local:8443", null, null, "s.session")))
                .status(), "scheme counts");
        assertEquals(403, ((HttpDoor.Refuse) door.decide(upgrade("null", null, null, "s.session"))).status());
        HttpDoor.Request foreignPost = new HttpDoor.Request("POST", "/api/session", false, true, "pi.local:8443",
                "https://evil.example", null, null, null, "192.0.2.1");
        assertEquals(403, ((HttpDoor.Refuse) door.decide(foreignPost)).status(), "no login from a foreign page");
    }

    @Test
    void preflightsOfAllowedOriginsAreServedWithoutCredentials() {
        assertTrue(HttpDoor.isPreflight("OPTIONS", "https://dashboard.example:8123", "POST"));
        assertTrue(!HttpDoor.isPreflight("OPTIONS", "https://dashboard.example:8123", null),
                "a plain OPTIONS is an ordinary request, authenticated as usual");
        assertTrue(!HttpDoor.isPreflight("POST", "https://dashboard.example:8123", "POST"));
        assertNull(((HttpDoor.Serve) door.preflight("https://dashboard.example:8123", "pi.local:8443", true)).caller(),
                "served by the door itself, with no caller");
        assertInstanceOf(HttpDoor.Serve.class, door.preflight("https://pi.local:8443", "pi.local:8443", true));
        HttpDoor.Refuse refused = (HttpDoor.Refuse) door.preflight("https://evil.example", "pi.local:8443", true);
        assertEquals(403, refused.status());
        assertTrue(refused.reason().contains("evil.example"), refused.reason());
        // the request that follows the preflight carries its bearer token and is authenticated as always
        HttpDoor.Request post = new HttpDoor.Request("POST", "/whep/camera", false, true, "pi.local:8443",
                "https://dashboard.example:8123", "Bearer good-token", null, null, "192.0.2.1");
        assertEquals("nvr", ((HttpDoor.Serve) door.decide(post)).caller().name());
        HttpDoor.Request anonymous = new HttpDoor.Request("POST", "/whep/camera", false, true, "pi.local:8443",
                "https://dashboard.example:8123", null, null, null, "192.0.2.1");
        assertEquals(401, ((HttpDoor.Refuse) door.decide(anonymous)).status());
    }

    @Test
    void throttledAddressesGet429EvenForPublicFiles() {
        HttpDoor.Request request = new HttpDoor.Request("GET", "/signalling", true, true, "pi.local:8443", null,
                "Bearer good-token", null, null, "203.0.113.9");
        HttpDoor.Refuse refused = (HttpDoor.Refuse) door.decide(request);
        assertEquals(429, refused.status());
    }

    @Test
    void authOffServesEveryoneAsAnonymousButStillChecksOrigins() {
        keys.enforced = false;
        assertEquals("anonymous", ((HttpDoor.Serve) door.decide(upgrade(null, null, null, null))).caller().name());
        assertEquals(403, ((HttpDoor.Refuse) door.decide(upgrade("https://evil.example", null, null, null))).status());
    }
}
