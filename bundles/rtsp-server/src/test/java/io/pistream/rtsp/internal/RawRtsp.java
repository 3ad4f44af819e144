package io.pistream.rtsp.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal RTSP client over a plain socket, for what real players never send: garbage, unknown paths, and
 * fast connect/disconnect cycles with RTP interleaved in the TCP connection.
 */
final class RawRtsp implements AutoCloseable {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int cseq;
    private String session;
    private long interleavedBytes;

    RawRtsp(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(timeoutMillis);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response request(String method, String url, String... headers) throws IOException {
        StringBuilder text = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        text.append("CSeq: ").append(++cseq).append("\r\n");
        text.append("User-Agent: pistream-test\r\n");
        if (session != null) {
            text.append("Session: ").append(session).append("\r\n");
        }
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        text.append("\r\n");
        sendRaw(text.toString().getBytes(StandardCharsets.US_ASCII));
        return readResponse();
    }

    /** Reads the next response, skipping RTP/RTCP frames interleaved before it. */
    Response readResponse() throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) {
                throw new IOException("connection closed by the server");
            }
            if (first == '$') {
                skipInterleavedFrame();
                continue;
            }
            String statusLine = (char) first + readLine();
            if (statusLine.isBlank()) {
                continue;
            }
            if (!statusLine.startsWith("RTSP/1.0 ")) {
                throw new IOException("not an RTSP response: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while (!(line = readLine()).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            String body = "";
            String length = headers.get("content-length");
            if (length != null) {
                byte[] bytes = new byte[Integer.parseInt(length)];
                in.readFully(bytes);
                body = new String(bytes, StandardCharsets.UTF_8);
            }
            String sessionHeader = headers.get("session");
            if (sessionHeader != null) {
                session = sessionHeader.split(";")[0].trim();
            }
            return new Response(status, headers, body);
        }
    }

    /** DESCRIBE, SETUP of every stream over TCP interleaved, PLAY. Returns the PLAY response. */
    Response play(String url) throws IOException {
        return play(url, -1);
    }

    /**
     * DESCRIBE, SETUP of every stream, PLAY. With {@code udpPort} > 0 the streams go over UDP to that port pair
     * (and the next ones), else interleaved in this connection. Returns the PLAY response.
     */
    Response play(String url, int udpPort) throws IOException {
        Response describe = request("DESCRIBE", url, "Accept: application/sdp");
        if (describe.status() != 200) {
            return describe;
        }
        String base = describe.header("content-base");
        if (base == null) {
            base = url.endsWith("/") ? url : url + "/";
        }
        int channel = 0;
        for (String line : describe.body().split("\r?\n")) {
            if (line.startsWith("a=control:") && !line.equals("a=control:*")) {
                String control = line.substring("a=control:".length()).trim();
                String setupUrl = control.startsWith("rtsp://") ? control : base + control;
                String transport = udpPort > 0
                        ? "Transport: RTP/AVP;unicast;client_port=" + (udpPort + channel) + "-" + (udpPort + channel + 1)
                        : "Transport: RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1);
                Response setup = request("SETUP", setupUrl, transport);
                if (setup.status() != 200) {
                    return setup;
                }
                channel += 2;
            }
        }
        return request("PLAY", base.endsWith("/") ? base.substring(0, base.length() - 1) : base, "Range: npt=0-");
    }

    /** Reads interleaved frames until {@code bytes} payload bytes have arrived, within {@code timeoutMillis}. */
    void receive(long bytes, long timeoutMillis) throws IOException {
        long target = interleavedBytes + bytes;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (interleavedBytes < target) {
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + (bytes - (target - interleavedBytes)) + " of " + bytes
                        + " bytes within " + timeoutMillis + " ms");
            }
            int first = in.read();
            if (first < 0) {
                throw new IOException("connection closed after " + interleavedBytes + " bytes");
            }
            if (first == '$') {
                skipInterleavedFrame();
            }
        }
    }

    private void skipInterleavedFrame() throws IOException {
        in.readUnsignedByte(); // channel
        int length = in.readUnsignedShort();
        in.skipNBytes(length);
        interleavedBytes += length;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        if (c < 0 && line.size() == 0) {
            throw new IOException("connection closed by the server");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Leaves like a polite player. */
    void teardown(String url) throws IOException {
        request("TEARDOWN", url);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
