package io.pistream.signalling.conformance;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import io.pistream.signalling.testing.TestAccessControl;

/**
 * A minimal hand-written WebSocket client over a plain socket, for what the JDK client cannot do:
 * stop reading altogether (a peer that never drains its socket).
 */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** Connects as the test user {@code tester}. */
    RawClient(int port, String path, int receiveBufferSize) throws IOException {
        this(port, path, receiveBufferSize, TestAccessControl.TALK_TOKEN);
    }

    RawClient(int port, String path, int receiveBufferSize, String bearerToken) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferSize);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + bearerToken + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String headers = readHeaders(in);
        if (!headers.startsWith("HTTP/1.1 101")) {
            throw new IOException("Handshake failed: " + headers);
        }
    }

    /** Reads one unfragmented text frame. */
    String readText() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if ((b0 & 0x0f) != 1) {
            throw new IOException("Not a text frame: opcode " + (b0 & 0x0f));
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Sends one masked text frame, as a client must. */
    void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends one masked frame as it is: {@code firstByte} holds FIN, the reserved bits and the opcode, and the
     * payload need not be what the opcode says (bad UTF-8 in a text frame, a continuation out of nowhere).
     */
    void sendFrame(int firstByte, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Reads and discards until the server ends the connection.
     *
     * @return whether it ended within the time limit
     */
    boolean drainUntilClosed(long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] buffer = new byte[64 * 1024];
        socket.setSoTimeout(200);
        while (System.currentTimeMillis() < deadline) {
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed during handshake");
            }
            headers.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return headers.toString(StandardCharsets.US_ASCII);
    }
}
