package io.pistream.webrtc.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.pistream.api.net.HostNames;
import io.pistream.api.security.AccessControl;
import io.pistream.gstreamer.SettingsCheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the device's WebRTC clients (producer, receiver) prove who they are to a signalling server: to the device's
 * own server with the device's token ({@link AccessControl#deviceToken()}), which never leaves the device; to any
 * other server with the token configured for it, if any.
 */
public final class SignallingAccess {

    /** RFC 6750's b64token: what fits an {@code Authorization: Bearer} header, a JWT among others. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{1,4096}=*");

    private static final Logger LOG = LoggerFactory.getLogger(SignallingAccess.class);

    private SignallingAccess() {
    }

    /**
     * Whether {@code url} names this device's own signalling server: {@code localhost}, a loopback address, or an
     * address of one of its interfaces. Host names other than {@code localhost} count as another server: no DNS
     * lookup here, and the device token must not go wherever a name happens to resolve.
     */
    public static boolean ownServer(URI url) {
        String host = url.getHost();
        if (host == null) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        Optional<InetAddress> address = HostNames.parseIpAddress(host);
        if (address.isEmpty()) {
            return false;
        }
        InetAddress literal = address.get();
        if (literal.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(literal) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * The bearer token each handshake with the server at {@code url} presents: the device's own (asked anew at every
     * connection) for this device's server, {@code configuredToken} for another one; null for none.
     */
    public static Supplier<String> bearer(URI url, AccessControl accessControl, String configuredToken) {
        if (ownServer(url)) {
            return accessControl::deviceToken;
        }
        String token = configuredToken == null || configuredToken.isEmpty() ? null : configuredToken;
        return () -> token;
    }

    /** Says which credentials the handshakes will carry, and warns of a token that will not be used. */
    public static void logChoice(String pid, URI url, String configuredToken) {
        if (ownServer(url)) {
            LOG.info("{}: {} is this device's signalling server: signing in with the device token", pid, url);
            if (configuredToken != null && !configuredToken.isEmpty()) {
                LOG.warn("{}: signalling.token is not used for this device's own server", pid);
            }
        } else if (configuredToken == null || configuredToken.isEmpty()) {
            LOG.info("{}: {} is another signalling server; no signalling.token, so no credentials", pid, url);
        } else {
            LOG.info("{}: {} is another signalling server: signing in with signalling.token", pid, url);
        }
    }

    /**
     * A bearer token for another signalling server, empty for none. Never repeated in the problem: it is a secret.
     */
    public static String token(SettingsCheck check, String key, String value) {
        String token = value == null ? "" : value.trim();
        check.require(token.isEmpty() || BEARER_TOKEN.matcher(token).matches(), key,
                "must be a bearer token: letters, digits and - . _ ~ + / (then = padding), at most 4096");
        return token;
    }
}
