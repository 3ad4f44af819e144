package io.pistream.webauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;

import org.junit.jupiter.api.Test;

/** The door servlets ask: the filter's answer when it ran, the same decision when it did not. */
class WebDoorServiceTest {

    private final WebDoorService door = new WebDoorService(new HttpDoorTest.Keys(), new WebAuthConfig() {
        @Override
        public String[] allowedOrigins() {
            return new String[] {"https://dashboard.example:8123"};
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return WebAuthConfig.class;
        }
    });

    /** A request with these headers, as a servlet gets it from the connector; attributes work as in a container. */
    private static HttpServletRequest request(String method, String path, String... headers) {
        Map<String, String> headerMap = new HashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            headerMap.put(headers[i].toLowerCase(), headers[i + 1]);
        }
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(WebDoorServiceTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, called, arguments) -> switch (called.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> path;
                    case "getContextPath" -> "";
                    case "isSecure" -> true;
                    case "getRemoteAddr" -> "192.0.2.1";
                    case "getQueryString", "getCookies" -> null;
                    case "getHeader" -> headerMap.get(((String) arguments[0]).toLowerCase());
                    case "getAttribute" -> attributes.get((String) arguments[0]);
                    case "setAttribute" -> attributes.put((String) arguments[0], arguments[1]) == null ? null : null;
                    default -> throw new UnsupportedOperationException(called.getName());
                });
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theCallerTheFilterAdmittedIsTakenAsItIs() {
        HttpServletRequest request = request("POST", "/whep/camera", "Authorization", "Bearer nothing-valid");
        Caller admitted = new Caller("carol", EnumSet.of(Role.VIEWER), "token");
        request.setAttribute(AuthFilter.PASSED_ATTRIBUTE, Boolean.TRUE);
        request.setAttribute(AccessControl.CALLER_ATTRIBUTE, admitted);

        assertSame(admitted, door.callerOf(request).orElseThrow());
    }

    @Test
    void aRequestTheFilterLetThroughWithoutACallerHasNone() {
        HttpServletRequest request = request("GET", "/whep/camera", "Authorization", "Bearer good-token");
        request.setAttribute(AuthFilter.PASSED_ATTRIBUTE, Boolean.TRUE); // a public path: the filter found no caller

        assertEquals(Optional.empty(), door.callerOf(request), "not decided a second time");
    }

    @Test
    void withoutTheFilterTheDoorAdmitsGoodCredentialsAndLeavesTheCallerInTheRequest() {
        HttpServletRequest token = request("POST", "/whep/camera", "Authorization", "Bearer good-token");
        assertEquals("nvr", door.callerOf(token).orElseThrow().name());
        assertEquals("nvr", ((Caller) token.getAttribute(AccessControl.CALLER_ATTRIBUTE)).name());

        HttpServletRequest password = request("POST", "/whip/studio", "Authorization",
                basic("alice", "secret-password"), "Origin", "https://dashboard.example:8123");
        assertEquals("alice", door.callerOf(password).orElseThrow().name());
    }

    @Test
    void withoutTheFilterTheDoorRefusesWhatTheFilterWould() {
        assertTrue(door.callerOf(request("POST", "/whep/camera")).isEmpty(), "no credentials");
        assertTrue(door.callerOf(request("POST", "/whep/camera", "Authorization", basic("alice", "guess")))
                .isEmpty(), "a wrong password");
        assertTrue(door.callerOf(request("POST", "/whep/camera", "Authorization", "Bearer old-token")).isEmpty(),
                "an expired token");
        assertTrue(door.callerOf(request("POST", "/whep/camera", "Authorization", "Bearer good-token", "Origin",
                "https://evil.example")).isEmpty(), "a page of a foreign origin");
        assertTrue(door.callerOf(request("GET", "/index.html")).isEmpty(), "a public file has no caller");
    }
}
