package io.pistream.whep.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.webauth.WebDoor;
import io.pistream.webrtc.internal.door.DoorRefusal;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.door.HttpSessions;
import io.pistream.webrtc.internal.door.IceServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of WHEP (RFC draft-ietf-wish-whep) and WHIP (RFC 9725), which differ only in direction: POST an
 * offer to {@code /PROTOCOL/NAME} and get {@code 201 Created} with the answer (ICE candidates included, gathering
 * complete) and the session's {@code Location}; PATCH trickle ICE fragments to it, DELETE it to end the session.
 * The sessions themselves belong to the producer or receiver ({@link HttpSessions}): same caps, same status.
 * The HTTP door authenticates the caller ({@link WebDoor}); this checks the role.
 */
abstract class SessionResources extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SessionResources.class);

    static final String SDP = "application/sdp";
    static final String SDP_FRAGMENT = "application/trickle-ice-sdpfrag";
    private static final int MAX_BODY = 64 * 1024;
    /** Resources kept at most, ended or not: a bound however clients behave (the sessions have their own cap). */
    private static final int MAX_RESOURCES = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    /** One session as the HTTP client knows it. */
    record Resource(String id, String name, String owner, String etag, OfferCheck.Offer offer, DoorSession session) {
    }

    /** What differs between the doors: what the caller needs, what the offer must be, who serves it. */
    enum Door {
        WHEP(Role.VIEWER, "no WebRTC producer runs on this device (feature webrtc-producer)"),
        WHIP(Role.TALK, "no WebRTC receiver runs on this device (feature webrtc-receiver and "
                + "etc/io.pistream.webrtc.receiver.cfg)");

        private final Role role;
        private final String missing;

        Door(Role role, String missing) {
            this.role = role;
            this.missing = missing;
        }

        /** What the device does with the offer, checked before anything is built. */
        Object check(String sdp) {
            return this == WHEP ? OfferCheck.forPlayback(sdp) : OfferCheck.forIngest(sdp);
        }
    }

    private final Door door;
    private final transient WebDoor webDoor;
    private final String protocol;
    private final Role role;
    private final long answerTimeoutMillis;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    /**
     * Dynamic, so that a producer or receiver reconfigured or restarted does not take the servlet (and with it
     * every servlet of the context, which Pax Web restarts) away: meanwhile the door answers 503.
     */
    private volatile transient HttpSessions sessions;

    /** The first path segment is the door's name in lower case, {@code whep} or {@code whip}. */
    SessionResources(Door door, WebDoor webDoor, long answerTimeoutMillis) {
        this.door = door;
        this.webDoor = webDoor;
        this.protocol = door.name().toLowerCase(Locale.ROOT);
        this.role = door.role;
        this.answerTimeoutMillis = answerTimeoutMillis;
    }

    /** The producer or receiver came. */
    final void attach(HttpSessions sessions) {
        this.sessions = sessions;
    }

    /** The producer or receiver went (an older one may go after a newer one came). */
    final void detach(HttpSessions gone) {
        if (this.sessions == gone) {
            this.sessions = null;
        }
    }

    // --- requests -----------------------------------------------------------------------------------------------

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String[] path = segments(request.getPathInfo());
        if (path == null) {
            fail(response, 404, "no such " + protocol.toUpperCase(Locale.ROOT) + " resource: POST to /" + protocol
                    + "/NAME");
            return;
        }
        String method = request.getMethod();
        if ("OPTIONS".equals(method)) {
            options(response, path.length == 1);
            return;
        }
        Caller caller = webDoor.callerOf(request).orElse(null);
        if (caller == null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"" + AccessControl.REALM + "\"");
            fail(response, 401, "Log in, or send a token (Authorization: Bearer)");
            return;
        }
        if (!caller.may(role)) {
            fail(response, 403, protocol.toUpperCase(Locale.ROOT) + " needs the role " + role.id() + "; "
                    + caller.name() + " does not have it");
            return;
        }
        if (path.length == 1) {
            if ("POST".equals(method)) {
                create(request, response, caller, path[0]);
            } else {
                response.setHeader("Allow", "POST, OPTIONS");
                fail(response, 405, method + " is not allowed here: POST an SDP offer");
            }
            return;
        }
        Resource resource = resources.get(path[1]);
        if (resource == null || !resource.name().equals(path[0])) {
            fail(response, 404, "no session " + path[1] + " (ended, deleted or never created)");
            return;
        }
        if (!resource.owner().equals(caller.name()) && !caller.may(Role.ADMIN)) {
            fail(response, 403, "session " + path[1] + " belongs to another user");
            return;
        }
        switch (method) {
            case "DELETE" -> delete(response, resource, caller);
            case "PATCH" -> patch(request, response, resource);
            default -> {
                response.setHeader("Allow", "PATCH, DELETE, OPTIONS");
                fail(response, 405, method + " is not allowed on a session: PATCH trickle ICE, or DELETE it");
            }
        }
    }

    private void options(HttpServletResponse response, boolean collection) {
        // a CORS preflight is answered by the HTTP door in front; this is the plain OPTIONS of RFC 9725
        if (collection) {
            response.setHeader("Allow", "POST, OPTIONS");
            response.setHeader("Accept-Post", SDP);
        } else {
            response.setHeader("Allow", "PATCH, DELETE, OPTIONS");
            response.setHeader("Accept-Patch", SDP_FRAGMENT);
        }
        response.setStatus(204);
    }

    private void create(HttpServletRequest request, HttpServletResponse response, Caller caller, String name)
            throws IOException {
        if (!isType(request, SDP)) {
            response.setHeader("Accept-Post", SDP);
            fail(response, 415, "send the offer as " + SDP + " (not " + request.getContentType() + ")");
            return;
        }
        String body = body(request, response);
        if (body == null) {
            return;
        }
        Object checked = door.check(body);
        if (checked instanceof OfferCheck.Problem problem) {
            fail(response, problem.status(), problem.reason());
            return;
        }
        OfferCheck.Offer offer = (OfferCheck.Offer) checked;
        HttpSessions sessions = this.sessions;
        if (sessions == null) {
            fail(response, 503, door.missing);
            return;
        }
        prune();
        if (resources.size() >= MAX_RESOURCES) {
            fail(response, 503, "too many " + protocol.toUpperCase(Locale.ROOT) + " sessions");
            return;
        }
        String peer = protocol + ":" + caller.name() + "@" + request.getRemoteAddr();
        DoorSession session;
        try {
            session = sessions.open(name, peer, body);
        } catch (DoorRefusal refusal) {
            switch (refusal.kind()) {
                case UNKNOWN_SOURCE -> fail(response, 404, refusal.getMessage());
                case FULL -> {
                    response.setHeader("Retry-After", "10");
                    fail(response, 503, refusal.getMessage());
                }
                default -> fail(response, 503, refusal.getMessage());
            }
            return;
        } catch (RuntimeException busy) {
            // the producer's control thread did not answer in time, or it is stopping
            LOG.warn("{} offer from {} not taken: {}", protocol.toUpperCase(Locale.ROOT), peer, busy.toString());
            fail(response, 503, "the device could not start the session: " + busy.getMessage());
            return;
        }
        String answer;
        try {
            answer = session.answer().get(answerTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            String reason = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            fail(response, 400, "the offer was refused: " + reason);
            return;
        } catch (TimeoutException e) {
            session.end("no answer within " + answerTimeoutMillis / 1000 + " s");
            fail(response, 503, "the device did not answer within " + answerTimeoutMillis / 1000 + " s");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.end("interrupted");
            fail(response, 503, "interrupted");
            return;
        }
        String id = session.sessionId();
        String etag = "\"" + UUID.randomUUID() + "\"";
        resources.put(id, new Resource(id, name, caller.name(), etag, offer, session));
        LOG.info("{} session {} for '{}' created by {} from {}", protocol.toUpperCase(Locale.ROOT), id, name,
                caller.name(), request.getRemoteAddr());
        response.setStatus(201);
        response.setHeader("Location", request.getContextPath() + request.getServletPath() + "/" + name + "/" + id);
        response.setHeader("ETag", etag);
        response.setHeader("Accept-Patch", SDP_FRAGMENT);
        // the device's STUN/TURN servers, for clients that are not on its network (RFC 9725 section 4.6)
        for (IceServer server : sessions.iceServers()) {
            response.addHeader("Link", server.linkHeader());
        }
        write(response, SDP, answer);
    }

    private void delete(HttpServletResponse response, Resource resource, Caller caller) {
        if (resources.remove(resource.id(), resource)) {
            resource.session().end("ended by " + caller.name() + " (HTTP DELETE)");
        }
        response.setStatus(200);
    }

    private void patch(HttpServletRequest request, HttpServletResponse response, Resource resource)
            throws IOException {
        if (!isType(request, SDP_FRAGMENT)) {
            response.setHeader("Accept-Patch", SDP_FRAGMENT);
            fail(response, 415, "send trickle ICE as " + SDP_FRAGMENT + " (not " + request.getContentType() + ")");
            return;
        }
        String ifMatch = request.getHeader("If-Match");
        if ("*".equals(ifMatch == null ? null : ifMatch.trim())) {
            fail(response, 422, "ICE restarts are not supported: end the session and POST a new offer");
            return;
        }
        if (ifMatch != null && !ifMatch.trim().equals(resource.etag())) {
            fail(response, 412, "If-Match " + ifMatch + " does not match the session's ETag");
            return;
        }
        String body = body(request, response);
        if (body == null) {
            return;
        }
        TrickleFragment fragment;
        try {
            fragment = TrickleFragment.parse(body);
        } catch (IllegalArgumentException e) {
            fail(response, 400, "the body is not a trickle ICE SDP fragment: " + e.getMessage());
            return;
        }
        if (fragment.iceUfrag() != null && !fragment.iceUfrag().equals(resource.offer().iceUfrag())) {
            fail(response, 422, "ICE restarts are not supported (new a=ice-ufrag): end the session and POST a new"
                    + " offer");
            return;
        }
        if (resource.session().isEnded()) {
            resources.remove(resource.id(), resource);
            fail(response, 404, "session " + resource.id() + " ended: " + resource.session().endReason());
            return;
        }
        for (TrickleFragment.Candidate candidate : fragment.candidates()) {
            int mline = candidate.mid() == null ? candidate.section() : resource.offer().mids().indexOf(
                    candidate.mid());
            if (mline < 0 || mline >= resource.offer().mids().size()) {
                fail(response, 400, "the fragment names a media section the offer does not have (a=mid:"
                        + candidate.mid() + ")");
                return;
            }
            resource.session().addRemoteCandidate(mline, candidate.candidate());
        }
        response.setStatus(204);
    }

    /** Forgets resources whose session ended by itself (ICE failure, the device stopped). */
    private void prune() {
        for (Iterator<Resource> it = resources.values().iterator(); it.hasNext();) {
            if (it.next().session().isEnded()) {
                it.remove();
            }
        }
    }

    /** Ends every session of this door (the door goes away). */
    void endAll() {
        String reason = "the " + door + " door stopped";
        for (Resource resource : resources.values()) {
            resource.session().end(reason);
        }
        resources.clear();
    }

    int resourceCount() {
        return resources.size();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** {@code [name]} or {@code [name, id]}, or null for any other path. */
    static String[] segments(String pathInfo) {
        if (pathInfo == null || !pathInfo.startsWith("/")) {
            return null;
        }
        String[] parts = pathInfo.substring(1).split("/", -1);
        if (parts.length == 1 && NAME.matcher(parts[0]).matches()) {
            return parts;
        }
        if (parts.length == 2 && NAME.matcher(parts[0]).matches() && ID.matcher(parts[1]).matches()) {
            return parts;
        }
        return null;
    }

    private static boolean isType(HttpServletRequest request, String expected) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().equalsIgnoreCase(expected);
    }

    /** The body as text, or null after answering 413 when it is too large. */
    private static String body(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            fail(response, 413, "the body is larger than " + MAX_BODY + " bytes");
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int read;
            while ((read = in.read(chunk)) > 0) {
                out.write(chunk, 0, read);
                if (out.size() > MAX_BODY) {
                    fail(response, 413, "the body is larger than " + MAX_BODY + " bytes");
                    return null;
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static void fail(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        write(response, "application/json", "{\"error\":" + quote(reason) + "}");
    }

    private static void write(HttpServletResponse response, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.setContentType(type);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
