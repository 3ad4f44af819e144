package io.pistream.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 exchange over TLS written by hand: the JDK's clients will not send an Upgrade or Origin header, nor
 * connect from a chosen local address, and those are exactly what the door's tests need.
 */
final class RawHttps {

    record Response(int status, Map<String, String> headers, String body) {
    }

    private RawHttps() {
    }

    /**
     * @param from    local address to connect from (any 127.x address reaches the device on loopback), or null
     * @param request the request head and body, lines separated by CRLF; Host is added, and Connection: close
     *                unless the request has a Connection header
     */
    static Response exchange(SSLContext tls, String from, int port, String request) throws IOException {
        try (Socket plain = new Socket()) {
            if (from != null) {
                plain.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            }
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(10_000);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                socket.startHandshake();
                int headEnd = request.indexOf("\r\n\r\n");
                String head = headEnd < 0 ? request : request.substring(0, headEnd);
                String body = headEnd < 0 ? "" : request.substring(headEnd + 4);
                String full = head + "\r\nHost: localhost:" + port + "\r\n"
                        + (head.contains("\r\nConnection:") ? "" : "Connection: close\r\n")
                        + (body.isEmpty() ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                        + "\r\n" + body;
                OutputStream out = socket.getOutputStream();
                out.write(full.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return read(socket.getInputStream());
            }
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                // a 101 answer leaves the connection open for WebSocket frames: its head is all we need
                if (bytes.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")
                        && bytes.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101")) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException enough) {
            // whatever arrived is the answer
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 ")) {
            throw new IOException("Not an HTTP answer: " + text);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + "\n" + b);
            }
        }
        return new Response(Integer.parseInt(lines[0].substring(9, 12)), headers,
                headEnd < 0 ? "" : text.substring(headEnd + 4));
    }
}
