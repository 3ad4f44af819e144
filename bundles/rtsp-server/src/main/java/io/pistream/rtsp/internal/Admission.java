package io.pistream.rtsp.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Pointer;

import io.pistream.api.security.AccessControl;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who gets in, on top of gst-rtsp-server's own Digest check ({@link DigestLogins}) and per-mount permissions
 * ({@link RtspRoles}):
 * <ul>
 * <li>before a DESCRIBE or SETUP, an address that {@link AccessControl} throttles for failed logins is answered 403
 * and its connection closed, whatever it sends; sessions it already plays are left alone;</li>
 * <li>over RTSPS, a SETUP of RTP over UDP is answered 461 Unsupported Transport: the media must stay in the TLS
 * connection, or it would travel in clear (players then ask for TCP, rtspsrc on its own);</li>
 * <li>a player past {@code max.players} is answered 503 Service Unavailable;</li>
 * <li>a 401 answered to a request that carried credentials is a failed login, counted by {@link AccessControl}
 * (the first challenge, which every player gets before it sends credentials, is not).</li>
 * </ul>
 * A player holds a place from its first DESCRIBE or SETUP until its connection closes. The place is taken before the
 * request is handled, so that players arriving together cannot overshoot the cap, and given back when that request
 * fails: a caller without valid credentials never keeps one.
 *
 * <p>Runs on gst-rtsp-server's client threads: counters and a lock held for a few instructions, nothing else.
 */
final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    /** The door's name for {@link AccessControl#recordFailure}. */
    static final String DOOR = "rtsp";
    /** How long a refused connection stays open, so that the client reads its 403 before the connection closes. */
    static final long CLOSE_AFTER_REFUSAL_MILLIS = 1000;
    /** Refusals can come in floods: one log line per cause (and address) at most this often. */
    static final long REFUSAL_LOG_INTERVAL_MILLIS = 60_000;

    private static final Pattern DIGEST_USER = Pattern.compile("username=\"([^\"]*)\"");

    private final AccessControl access;
    private final int maxPlayers;
    private final ControlThread control;
    /** Clients holding a place: taken by a request in flight, or confirmed by a successful one. Guarded by this. */
    private final Set<TrackedClient> players = new HashSet<>();
    private final RefusalLog refusals = new RefusalLog(REFUSAL_LOG_INTERVAL_MILLIS);

    Admission(AccessControl access, int maxPlayers, ControlThread control) {
        this.access = access;
        this.maxPlayers = maxPlayers;
        this.control = control;
    }

    /** {@code pre-describe-request} and {@code pre-setup-request}, on a client thread: the status to answer. */
    int beforeRequest(TrackedClient client, Pointer context) {
        if (access.throttled(client.ip)) {
            long more = refusals.due("throttled " + client.ip);
            if (more >= 0) {
                LOG.warn("RTSP client {} refused (403 Forbidden): too many failed logins from {}, refused for a "
                        + "while{}", client.address, client.ip, RefusalLog.since(more));
            }
            closeSoonUnlessPlaying(client);
            return RtspLib.STATUS_FORBIDDEN;
        }
        if (client.secure && RtspLib.contextMethod(context) == RtspLib.METHOD_SETUP
                && !interleavedOnly(RtspLib.header(RtspLib.contextRequest(context), RtspLib.HEADER_TRANSPORT))) {
            if (refusals.due("transport " + client.ip) >= 0) {
                LOG.info("RTSP client {} over TLS asked for media outside the TLS connection: answered 461 "
                        + "Unsupported Transport (RTSPS carries RTP interleaved in the connection only)",
                        client.address);
            }
            return RtspLib.STATUS_UNSUPPORTED_TRANSPORT;
        }
        int playing;
        synchronized (this) {
            if (players.contains(client)) {
                return RtspLib.STATUS_OK;
            }
            playing = players.size();
            if (playing < maxPlayers) {
                players.add(client);
                client.placeConfirmed = false;
                return RtspLib.STATUS_OK;
            }
        }
        long more = refusals.due("full");
        if (more >= 0) {
            LOG.warn("RTSP client {} refused (503 Service Unavailable): {} players already, the most max.players "
                    + "allows{}", client.address, playing, RefusalLog.since(more));
        }
        return RtspLib.STATUS_SERVICE_UNAVAILABLE;
    }

    /** {@code send-message}, on a client thread: what the server answered to one of the client's requests. */
    void sending(TrackedClient client, Pointer context, Pointer message) {
        Pointer request = RtspLib.contextRequest(context);
        int status = RtspLib.responseStatus(message);
        if (request == null || status == 0) {
            return;
        }
        if (status == RtspLib.STATUS_UNAUTHORIZED) {
            String credentials = RtspLib.header(request, RtspLib.HEADER_AUTHORIZATION);
            if (credentials != null) {
                failedLogin(client, credentials);
            }
        }
        int method = RtspLib.contextMethod(context);
        if (method != RtspLib.METHOD_DESCRIBE && method != RtspLib.METHOD_SETUP) {
            return;
        }
        boolean succeeded = status >= 200 && status < 300;
        synchronized (this) {
            if (players.contains(client) && !client.placeConfirmed) {
                if (succeeded) {
                    client.placeConfirmed = true;
                } else {
                    players.remove(client);
                }
            }
        }
        Pointer token = RtspLib.contextToken(context);
        if (succeeded) {
            String user = DigestLogins.user(token);
            if (user != null) {
                client.user = user;
            }
        } else if (status == RtspLib.STATUS_NOT_FOUND && method == RtspLib.METHOD_DESCRIBE && token != null) {
            // An unknown path is answered 404 before any authentication; with a token, the caller logged in but
            // lacks the role of that mount (gst-rtsp-server then answers 404, which does not tell what exists).
            LOG.info("RTSP client {}{} may not play {}: it lacks the role that mount needs (answered 404)",
                    client.address, userOf(token), ServerSettings.shorten(RtspLib.requestUrl(request)));
        }
    }

    /** Whether every transport a SETUP offers carries RTP in the RTSP connection ({@code RTP/AVP/TCP}). */
    static boolean interleavedOnly(String transportHeader) {
        if (transportHeader == null || transportHeader.isBlank()) {
            return false;
        }
        for (String alternative : transportHeader.split(",")) {
            String protocol = alternative.split(";", 2)[0].trim().toUpperCase(Locale.ROOT);
            if (!protocol.endsWith("/TCP")) {
                return false;
            }
        }
        return true;
    }

    /** The client's connection closed: its place is free. */
    synchronized void closed(TrackedClient client) {
        players.remove(client);
    }

    /** Players holding a place. */
    synchronized int players() {
        return players.size();
    }

    private void failedLogin(TrackedClient client, String credentials) {
        access.recordFailure(DOOR, client.ip);
        Matcher user = DIGEST_USER.matcher(credentials);
        LOG.info("RTSP client {}: login failed{}", client.address,
                user.find() ? " for user '" + ServerSettings.shorten(user.group(1)) + "'" : "");
        if (access.throttled(client.ip)) {
            LOG.warn("RTSP client {}: too many failed logins from {}; its requests are refused for a while",
                    client.address, client.ip);
            closeSoonUnlessPlaying(client);
        }
    }

    /** Closes a refused connection shortly, unless it also plays (its sessions were authenticated before). */
    private void closeSoonUnlessPlaying(TrackedClient client) {
        synchronized (this) {
            if (players.contains(client) && client.placeConfirmed || client.closing) {
                return;
            }
            client.closing = true;
        }
        control.schedule(client::close, CLOSE_AFTER_REFUSAL_MILLIS);
    }

    private static String userOf(Pointer token) {
        String user = DigestLogins.user(token);
        return user == null ? "" : " (user '" + user + "')";
    }

    /** Says when a refusal is worth a log line: the first of its kind, then at most once per interval. */
    static final class RefusalLog {
        /** Beyond this many distinct causes (addresses), the oldest are forgotten. */
        private static final int MAX_KEYS = 1024;

        private record Seen(long loggedAtNanos, long suppressed) {
        }

        private final long intervalNanos;
        private final Map<String, Seen> seen = new ConcurrentHashMap<>();

        RefusalLog(long intervalMillis) {
            this.intervalNanos = intervalMillis * 1_000_000L;
        }

        /** -1 when this refusal is not to be logged; else how many were left unlogged since the last line. */
        long due(String key) {
            long now = System.nanoTime();
            if (seen.size() > MAX_KEYS) {
                seen.clear();
            }
            long[] result = {-1};
            seen.compute(key, (k, previous) -> {
                if (previous == null || now - previous.loggedAtNanos() >= intervalNanos) {
                    result[0] = previous == null ? 0 : previous.suppressed();
                    return new Seen(now, 0);
                }
                return new Seen(previous.loggedAtNanos(), previous.suppressed() + 1);
            });
            return result[0];
        }

        static String since(long suppressed) {
            return suppressed > 0 ? " (" + suppressed + " more refused since the last report)" : "";
        }
    }
}
