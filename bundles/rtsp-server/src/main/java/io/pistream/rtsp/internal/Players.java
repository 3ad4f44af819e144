package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Pointer;

import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.Sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The players connected to the server (RTSP and RTSPS): what each plays, over which transport and as which user,
 * whether they are let in ({@link Admission}), and the ending of their sessions and connections when what they play
 * goes away.
 */
final class Players {

    private static final Logger LOG = LoggerFactory.getLogger(Players.class);

    private final Map<Pointer, TrackedClient> clients = new ConcurrentHashMap<>();
    private final int sessionTimeoutSeconds;
    private final ControlThread control;
    private final FeedSupervisor feeds;
    private final Admission admission;
    /** Set while the server runs. */
    private volatile Endpoint endpoint;

    Players(int sessionTimeoutSeconds, ControlThread control, FeedSupervisor feeds, Admission admission) {
        this.sessionTimeoutSeconds = sessionTimeoutSeconds;
        this.control = control;
        this.feeds = feeds;
        this.admission = admission;
    }

    Admission admission() {
        return admission;
    }

    void serving(Endpoint current) {
        endpoint = current;
    }

    void stopped() {
        endpoint = null;
    }

    int sessionTimeoutSeconds() {
        return sessionTimeoutSeconds;
    }

    /** {@code client-connected}, on the main loop thread; {@code secure} for the RTSPS server's clients. */
    void connected(Pointer client, boolean secure) {
        TrackedClient tracked = new TrackedClient(this, client, secure);
        clients.put(client, tracked);
        NativeEvents.watchClient(client, tracked);
        LOG.info("RTSP client {} connected{}", tracked.address, secure ? " over TLS" : "");
    }

    /** {@code play-request}, on a client thread. */
    void clientPlays(TrackedClient client, Pointer media) {
        MediaFeed feed = feeds.feedOf(media);
        if (feed == null) {
            return;
        }
        client.medias.add(feed);
        String previous = client.path;
        client.path = feed.mount.spec.path();
        if (!feed.mount.spec.shared() && !feed.mount.spec.isLaunch() && "TCP".equals(client.transport)) {
            int fd = client.socketFd();
            if (fd >= 0) {
                feed.guardSlowPlayer("client " + client.address + " of " + client.path, fd);
            }
        }
        feeds.startedPlaying(feed);
        if (!client.path.equals(previous)) {
            LOG.info("RTSP client {} plays {} over {}{}", client.address, client.path, client.transport,
                    client.user == null ? "" : " as '" + client.user + "'");
        }
    }

    /** {@code pause-request}, on a client thread. */
    void clientPauses(TrackedClient client, Pointer media) {
        MediaFeed feed = feeds.feedOf(media);
        if (feed != null) {
            feed.paused();
        }
    }

    /**
     * {@code closed}, on a client thread. gst-rtsp-server has already released the medias of the client's
     * sessions (stop-on-disconnect) but keeps the empty sessions until they time out: remove them now.
     */
    void clientClosed(TrackedClient client) {
        clients.remove(client.client, client);
        admission.closed(client);
        if (!client.sessionIds.isEmpty()) {
            control.execute(() -> {
                Endpoint current = endpoint;
                if (current != null) {
                    for (String id : client.sessionIds) {
                        Sessions.remove(current.sessionPool(), id);
                    }
                }
            });
        }
        LOG.info("RTSP client {} disconnected{}", client.address,
                client.path == null ? "" : " (played " + client.path + " over " + client.transport + ")");
    }

    /** Ends the sessions on these medias and closes their players' connections. On the control thread. */
    void endSessions(Set<MediaFeed> ending, String reason) {
        Endpoint current = endpoint;
        if (current == null) {
            return;
        }
        // A media pointer identifies a feed only while that feed is registered: addresses are reused.
        int ended = Sessions.endMedias(current.sessionPool(), media -> ending.contains(feeds.feedOf(media)));
        int disconnected = 0;
        for (TrackedClient client : clients.values()) {
            if (!Collections.disjoint(client.medias, ending)) {
                client.close();
                disconnected++;
            }
        }
        if (ended > 0 || disconnected > 0) {
            LOG.info("RTSP: ended {} session(s) and closed {} client connection(s): {}", ended, disconnected,
                    reason);
        }
    }

    /**
     * Closes the connections of players logged in as a user who may no longer log in (removed, or left without a
     * role). Sessions are not authenticated again once they play, so this is where a removal reaches them.
     */
    void disconnectUsersNotIn(Set<String> users) {
        for (TrackedClient client : clients.values()) {
            String user = client.user;
            if (user != null && !users.contains(user)) {
                LOG.info("RTSP client {} disconnected: user '{}' may no longer log in", client.address, user);
                client.close();
            }
        }
    }

    /**
     * Closes the connection of the player at {@code address} ({@link RtspClient#address()}), on the control thread
     * like every other ending; waits for it briefly.
     */
    boolean disconnect(String address) {
        if (address == null) {
            return false;
        }
        java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
        control.execute(() -> {
            boolean found = false;
            for (TrackedClient client : clients.values()) {
                if (client.address.equals(address)) {
                    LOG.info("RTSP client {} disconnected by an administrator", client.address);
                    client.close();
                    found = true;
                }
            }
            done.complete(found);
        });
        try {
            return done.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** How many players play one of these medias. */
    int playing(Iterable<MediaFeed> medias) {
        int playing = 0;
        for (TrackedClient client : clients.values()) {
            for (MediaFeed feed : medias) {
                if (client.medias.contains(feed)) {
                    playing++;
                    break;
                }
            }
        }
        return playing;
    }

    /** The connected players, longest connected first. */
    List<RtspClient> list() {
        List<RtspClient> result = new ArrayList<>();
        for (TrackedClient client : clients.values()) {
            result.add(client.info());
        }
        result.sort(Comparator.comparing(RtspClient::connectedAt));
        return result;
    }
}
