package io.pistream.webrtc.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.internal.session.WebRtcSession;
import io.pistream.webrtc.internal.signaller.Signaller;

/**
 * The sessions of a producer or a receiver: the running ones by id, and the last few that ended so that status
 * still shows why. Used on its owner's control executor only.
 */
public final class SessionBook<S extends WebRtcSession> {

    private static final int ENDED_KEPT = 10;

    private final Map<String, S> running = new LinkedHashMap<>();
    private final Deque<SessionStatus> ended = new ArrayDeque<>();

    public S get(String sessionId) {
        return running.get(sessionId);
    }

    public boolean contains(String sessionId) {
        return running.containsKey(sessionId);
    }

    public void add(S session) {
        running.put(session.sessionId(), session);
    }

    public int size() {
        return running.size();
    }

    /** A copy: sessions may end while the caller goes through them. */
    public List<S> running() {
        return new ArrayList<>(running.values());
    }

    /** Keeps the status of a session that ended (or was refused), newest first. */
    public void remember(SessionStatus status) {
        ended.addFirst(status);
        while (ended.size() > ENDED_KEPT) {
            ended.removeLast();
        }
    }

    /** Running sessions, then the most recently ended ones. */
    public List<SessionStatus> statuses() {
        List<SessionStatus> result = new ArrayList<>();
        running.values().forEach(session -> result.add(session.status()));
        result.addAll(ended);
        return result;
    }

    /** What the sessions call back: messages go through the signaller, an ended session moves to the history. */
    public WebRtcSession.Owner owner(Signaller signaller) {
        return new WebRtcSession.Owner() {
            @Override
            public void sendSdp(String sessionId, String type, String sdp) {
                signaller.sendSdp(sessionId, type, sdp);
            }

            @Override
            public void sendIce(String sessionId, int mlineIndex, String candidate) {
                signaller.sendIce(sessionId, mlineIndex, candidate);
            }

            @Override
            public void sendEndSession(String sessionId) {
                signaller.endSession(sessionId);
            }

            @Override
            public void ended(WebRtcSession session) {
                if (running.remove(session.sessionId(), session)) {
                    remember(session.status());
                }
            }
        };
    }
}
