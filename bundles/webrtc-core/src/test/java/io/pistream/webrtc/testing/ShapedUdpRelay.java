package io.pistream.webrtc.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The network between a producer and one viewer on loopback, made worse on demand: every UDP packet of the session
 * passes through two sockets of this relay (the ICE candidates each side sends are rewritten to name them), and the
 * packets towards the viewer can be held to a rate, with a queue of 300 ms at that rate as {@code tc tbf} keeps,
 * and lost at random. The viewer's packets (RTCP feedback) pass untouched. TCP candidates are dropped, so that ICE
 * has only this path.
 */
public final class ShapedUdpRelay implements AutoCloseable {

    private static final long QUEUE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final int MIN_QUEUE_BYTES = 16 * 1024;

    private final DatagramSocket viewerSide;
    private final DatagramSocket producerSide;
    private volatile InetSocketAddress producer;
    private volatile InetSocketAddress viewer;
    private volatile long rateBitsPerSecond;
    private volatile double lossFraction;
    private final LinkedBlockingQueue<byte[]> towardViewer = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final Thread[] threads;
    private volatile boolean closed;

    public ShapedUdpRelay() throws SocketException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        viewerSide = new DatagramSocket(new InetSocketAddress(loopback, 0));
        producerSide = new DatagramSocket(new InetSocketAddress(loopback, 0));
        threads = new Thread[] {
            new Thread(this::fromViewer, "relay-from-viewer"),
            new Thread(this::fromProducer, "relay-from-producer"),
            new Thread(this::toViewer, "relay-to-viewer")};
        for (Thread thread : threads) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Holds the packets towards the viewer to {@code kbps} (0: no limit). */
    public void cap(int kbps) {
        rateBitsPerSecond = kbps * 1000L;
    }

    /** Loses this share (0 to 1) of the packets towards the viewer at random. */
    public void lose(double fraction) {
        lossFraction = fraction;
    }

    /** A producer's candidate as the viewer should see it (pointing at the relay), or null if it is not UDP. */
    public String producerCandidate(String candidate) {
        InetSocketAddress real = udpAddress(candidate);
        if (real == null) {
            return null;
        }
        producer = real;
        return withPort(candidate, viewerSide.getLocalPort());
    }

    /** A viewer's candidate as the producer should see it, or null if it is not UDP. */
    public String viewerCandidate(String candidate) {
        InetSocketAddress real = udpAddress(candidate);
        if (real == null) {
            return null;
        }
        viewer = real;
        return withPort(candidate, producerSide.getLocalPort());
    }

    /** {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ ...}: UDP ones. */
    private static InetSocketAddress udpAddress(String candidate) {
        String[] fields = candidate.split(" ");
        if (fields.length < 6 || !fields[2].equalsIgnoreCase("udp")) {
            return null;
        }
        return new InetSocketAddress(fields[4], Integer.parseInt(fields[5]));
    }

    private static String withPort(String candidate, int port) {
        String[] fields = candidate.split(" ");
        fields[5] = Integer.toString(port);
        return String.join(" ", fields);
    }

    /** Packets towards the viewer lost at random so far. */
    public long lost() {
        return lost.get();
    }

    /** Packets towards the viewer dropped because the queue of the capped link was full. */
    public long overflowed() {
        return overflowed.get();
    }

    /** Packets delivered towards the viewer. */
    public long forwarded() {
        return forwarded.get();
    }

    private void fromViewer() {
        byte[] buffer = new byte[65536];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                viewerSide.receive(packet);
                InetSocketAddress to = producer;
                if (to != null) {
                    producerSide.send(new DatagramPacket(packet.getData(), packet.getLength(), to));
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void fromProducer() {
        byte[] buffer = new byte[65536];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                producerSide.receive(packet);
                if (lossFraction > 0 && ThreadLocalRandom.current().nextDouble() < lossFraction) {
                    lost.incrementAndGet();
                    continue;
                }
                long rate = rateBitsPerSecond;
                long limit = rate == 0 ? Long.MAX_VALUE
                        : Math.max(MIN_QUEUE_BYTES, rate / 8 * QUEUE_NANOS / 1_000_000_000L);
                if (queuedBytes.get() + packet.getLength() > limit) {
                    overflowed.incrementAndGet();
                    continue;
                }
                queuedBytes.addAndGet(packet.getLength());
                towardViewer.add(Arrays.copyOf(packet.getData(), packet.getLength()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Sends the queue on at the rate: each packet waits until the ones before it have had their time. */
    private void toViewer() {
        long nextFree = System.nanoTime();
        while (!closed) {
            try {
                byte[] data = towardViewer.poll(100, TimeUnit.MILLISECONDS);
                if (data == null) {
                    continue;
                }
                long rate = rateBitsPerSecond;
                long now = System.nanoTime();
                if (rate > 0) {
                    if (nextFree > now) {
                        LockSupport.parkNanos(nextFree - now);
                    }
                    nextFree = Math.max(now, nextFree) + data.length * 8L * 1_000_000_000L / rate;
                }
                queuedBytes.addAndGet(-data.length);
                InetSocketAddress to = viewer;
                if (to != null) {
                    viewerSide.send(new DatagramPacket(data, data.length, to));
                    forwarded.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        viewerSide.close();
        producerSide.close();
        threads[2].interrupt();
    }
}
