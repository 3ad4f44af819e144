package io.pistream.rtsp.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal RTSP client over a plain socket, for what real players never send: garbage, unknown paths, and
 * fast connect/disconnect cycles with RTP interleaved in the TCP connection. Credentials in a URL
 * ({@code rtsp://user:password@host/path}) are taken out of it and used for Digest, as players do: a request
 * answered 401 with a Digest challenge is sent once more with an {@code Authorization} header, and later requests
 * carry one for the same nonce.
 */
final class RawRtsp implements AutoCloseable {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final Pattern URL_USER = Pattern.compile("^(rtsps?://)([^/@:]*):([^/@]*)@(.*)$");
    private static final Pattern CHALLENGE_FIELD = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int cseq;
    private String session;
    private long interleavedBytes;
    private String user;
    private String password;
    private String realm;
    private String nonce;
    /** The statuses of every response read, in order (the 401 before a retry included). */
    final List<Integer> statuses = new ArrayList<>();

    RawRtsp(int port, int timeoutMillis) throws IOException {
        this(port, timeoutMillis, 0);
    }

    /** With {@code receiveBuffer} > 0, a socket receive buffer of that size: a client on a slow link. */
    RawRtsp(int port, int timeoutMillis, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response request(String method, String url, String... headers) throws IOException {
        Matcher withUser = URL_USER.matcher(url);
        if (withUser.matches()) {
            user = withUser.group(2);
            password = withUser.group(3);
            url = withUser.group(1) + withUser.group(4);
        }
        Response response = send(method, url, headers);
        String challenge = response.header("www-authenticate");
        if (response.status() == 401 && user != null && challenge != null && challenge.startsWith("Digest ")) {
            Matcher field = CHALLENGE_FIELD.matcher(challenge);
            while (field.find()) {
                if (field.group(1).equals("realm")) {
                    realm = field.group(2);
                } else if (field.group(1).equals("nonce")) {
                    nonce = field.group(2);
                }
            }
            response = send(method, url, headers);
        }
        return response;
    }

    private Response send(String method, String url, String... headers) throws IOException {
        StringBuilder text = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        text.append("CSeq: ").append(++cseq).append("\r\n");
        text.append("User-Agent: pistream-test\r\n");
        if (session != null) {
            text.append("Session: ").append(session).append("\r\n");
        }
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        if (nonce != null) {
            String ha1 = TestAccessControl.ha1(user, password);
            String ha2 = TestAccessControl.md5Hex(method + ":" + url);
            text.append("Authorization: Digest username=\"").append(user).append("\", realm=\"").append(realm)
                    .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(url).append("\", response=\"")
                    .append(TestAccessControl.md5Hex(ha1 + ":" + nonce + ":" + ha2)).append("\"\r\n");
        }
        text.append("\r\n");
        sendRaw(text.toString().getBytes(StandardCharsets.US_ASCII));
        Response response = readResponse();
        statuses.add(response.status());
        return response;
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

    /** An interleaved RTP packet: its channel, RTP timestamp and payload length. */
    record Packet(int channel, long rtpTimestamp, int length) {
    }

    /** Reads up to the next interleaved frame and returns it (RTCP frames too: their timestamp is meaningless). */
    Packet nextPacket() throws IOException {
        int first;
        while ((first = in.read()) != '$') {
            if (first < 0) {
                throw new IOException("connection closed after " + interleavedBytes + " bytes");
            }
        }
        int channel = in.readUnsignedByte();
        int length = in.readUnsignedShort();
        byte[] data = in.readNBytes(length);
        interleavedBytes += length;
        long timestamp = length >= 8 ? java.nio.ByteBuffer.wrap(data, 4, 4).getInt() & 0xffffffffL : -1;
        return new Packet(channel, timestamp, length);
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
