package io.pistream.webrtc.internal.door;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.pistream.webrtc.internal.session.SessionSettings;

/**
 * A STUN or TURN server as a WHIP/WHEP client takes it (RFC 9725 section 4.6): a {@code stun:}/{@code turn:} URL
 * and, for TURN, the user name and password.
 *
 * @param username   empty for STUN
 * @param credential empty for STUN
 */
public record IceServer(String url, String username, String credential) {

    /**
     * The servers of a producer's or receiver's settings, which are in webrtcbin's form ({@code stun://host:port},
     * {@code turn(s)://user:password@host:port}); one that cannot be read is left out.
     */
    public static List<IceServer> of(SessionSettings settings) {
        List<IceServer> servers = new ArrayList<>();
        if (!settings.stunServer().isEmpty()) {
            URI stun = parse(settings.stunServer());
            if (stun != null && stun.getHost() != null) {
                servers.add(new IceServer("stun:" + hostPort(stun), "", ""));
            }
        }
        for (String turn : settings.turnServers()) {
            URI uri = parse(turn);
            if (uri == null || uri.getHost() == null || uri.getRawUserInfo() == null) {
                continue;
            }
            String[] user = uri.getRawUserInfo().split(":", 2);
            String scheme = "turns".equalsIgnoreCase(uri.getScheme()) ? "turns:" : "turn:";
            String transport = uri.getQuery() == null ? "" : "?" + uri.getQuery();
            servers.add(new IceServer(scheme + hostPort(uri) + transport, decode(user[0]),
                    user.length == 2 ? decode(user[1]) : ""));
        }
        return servers;
    }

    /** The value of a {@code Link} header for this server. */
    public String linkHeader() {
        StringBuilder link = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
        if (!username.isEmpty()) {
            link.append("; username=\"").append(username.replace("\"", "")).append("\"; credential=\"")
                    .append(credential.replace("\"", "")).append("\"; credential-type=\"password\"");
        }
        return link.toString();
    }

    private static URI parse(String text) {
        try {
            return URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hostPort(URI uri) {
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                : uri.getHost();
        return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
