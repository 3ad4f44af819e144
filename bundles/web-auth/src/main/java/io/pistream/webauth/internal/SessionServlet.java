package io.pistream.webauth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.AccessControl.Session;
import io.pistream.api.security.Accounts;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.api.security.Verdict;
import io.pistream.webauth.WebDoor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The web app's login: {@code POST /api/session} with {@code {"user","password"}} sets the session cookie
 * (HttpOnly, Secure, SameSite=Strict); {@code GET} says who is logged in; {@code DELETE} logs out.
 * {@code POST /api/password} with {@code {"password"}} sets the caller's own new password.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({HttpDoor.SESSION_PATH, SessionServlet.PASSWORD_PATH})
// Pax Web names a servlet by its service's class unless told: two unnamed servlets collide
@HttpWhiteboardServletName("pistream-session")
public final class SessionServlet extends HttpServlet {

    static final String PASSWORD_PATH = "/api/password";
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient AccessControl access;
    private final transient Accounts accounts;
    private final transient WebDoor door;

    @Activate
    public SessionServlet(@Reference AccessControl access, @Reference Accounts accounts, @Reference WebDoor door) {
        this.access = access;
        this.accounts = accounts;
        this.door = door;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!HttpDoor.SESSION_PATH.equals(path(request))) {
            response.sendError(405);
            return;
        }
        Caller caller = door.callerOf(request).orElse(null);
        if (caller == null) {
            AuthFilter.refuse(response, new HttpDoor.Refuse(401, "Not logged in", false));
            return;
        }
        answer(response, 200, describe(caller));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body;
        try {
            body = readBody(request);
        } catch (IllegalArgumentException bad) {
            AuthFilter.refuse(response, new HttpDoor.Refuse(400, bad.getMessage(), false));
            return;
        }
        if (PASSWORD_PATH.equals(path(request))) {
            changePassword(request, response, body);
            return;
        }
        Verdict verdict = access.checkPassword(text(body, "user"), text(body, "password"), request.getRemoteAddr());
        if (verdict instanceof Verdict.Refused refused) {
            AuthFilter.refuse(response, new HttpDoor.Refuse(
                    refused.reason() == Verdict.Reason.THROTTLED ? 429 : 401, refused.message(), false));
            return;
        }
        Caller caller = ((Verdict.Allowed) verdict).caller();
        setCookie(request, response, access.openSession(caller));
        answer(response, 200, describe(caller));
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!HttpDoor.SESSION_PATH.equals(path(request))) {
            response.sendError(405);
            return;
        }
        String session = AuthFilter.sessionCookie(request);
        if (session != null) {
            access.closeSession(session);
        }
        response.addHeader("Set-Cookie", HttpDoor.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : ""));
        response.setStatus(204);
    }

    private void changePassword(HttpServletRequest request, HttpServletResponse response, JsonNode body)
            throws IOException {
        Caller caller = door.callerOf(request).orElse(null);
        if (caller == null || !access.enforced()) {
            AuthFilter.refuse(response, new HttpDoor.Refuse(401, "Log in first", false));
            return;
        }
        if (!"password".equals(caller.proof()) && !"session".equals(caller.proof())) {
            AuthFilter.refuse(response, new HttpDoor.Refuse(403, "Only a user who logged in can set a password", false));
            return;
        }
        try {
            accounts.setPassword(caller.name(), text(body, "password"));
        } catch (IllegalArgumentException bad) {
            AuthFilter.refuse(response, new HttpDoor.Refuse(400, bad.getMessage(), false));
            return;
        }
        // a new password ends the user's sessions: give this browser a fresh one
        setCookie(request, response, access.openSession(caller));
        answer(response, 200, describe(caller));
    }

    private Map<String, Object> describe(Caller caller) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("user", caller.name());
        me.put("roles", caller.roles().stream().map(Role::id).sorted().toList());
        me.put("authentication", access.enforced() ? "on" : "off");
        me.put("initialPassword", access.enforced() && accounts.users().stream()
                .anyMatch(user -> user.name().equals(caller.name()) && user.initialPassword()));
        return me;
    }

    private static void setCookie(HttpServletRequest request, HttpServletResponse response, Session session) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), session.expires()).toSeconds());
        response.addHeader("Set-Cookie", HttpDoor.COOKIE + "=" + session.value() + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : ""));
    }

    private static JsonNode readBody(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new IllegalArgumentException("Send JSON (Content-Type: application/json)");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IllegalArgumentException("The request body is over " + MAX_BODY + " bytes");
            }
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("Send a JSON object");
            }
            return node;
        } catch (JsonProcessingException malformed) {
            throw new IllegalArgumentException("Malformed JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String path(HttpServletRequest request) {
        return AuthFilter.describe(request).path();
    }

    private static void answer(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
