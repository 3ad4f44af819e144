package io.pistream.webrtc.internal.door;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.pistream.webrtc.internal.session.WebRtcSession;

/**
 * One session that a door other than signalling negotiates (WHEP, WHIP): it stands where the signaller stands for
 * the session (its {@link WebRtcSession.Owner}), keeps the answer until ICE gathering is complete and hands it
 * over with the candidates in it, since an HTTP client has no channel to hear later candidates on. The session's
 * end still goes to the book of its producer or receiver, so caps and status count it like any other.
 */
public final class DoorSession implements WebRtcSession.Owner {

    private static final long GATHER_POLL_MILLIS = 10;
    /**
     * With no STUN or TURN server, the candidates are the host's own: libnice finds them all within a millisecond
     * of the answer, and webrtcbin reports gathering complete a fixed 200 ms later. The answer goes once this long
     * has passed without a new candidate.
     */
    static final long HOST_CANDIDATES_QUIET_MILLIS = 40;

    private final String sessionId;
    private final ScheduledExecutorService control;
    private final WebRtcSession.Owner book;
    private final long gatherTimeoutMillis;
    private final boolean hostCandidatesOnly;
    private long lastCandidateNanos;
    private final CompletableFuture<String> answer = new CompletableFuture<>();
    private final List<Object[]> candidates = new ArrayList<>();
    private WebRtcSession session;
    private String description;
    private ScheduledFuture<?> gatherWatch;
    private long gatherDeadline;
    private volatile boolean ended;
    private volatile String endReason;

    /**
     * @param book                the producer's or receiver's own owner: it moves ended sessions to the history
     * @param gatherTimeoutMillis how long to wait for ICE gathering before answering with the candidates so far
     * @param hostCandidatesOnly  no STUN or TURN server is configured: the candidates are all there once they stop
     *                            coming, before webrtcbin says gathering is complete
     */
    public DoorSession(String sessionId, ScheduledExecutorService control, WebRtcSession.Owner book,
            long gatherTimeoutMillis, boolean hostCandidatesOnly) {
        this.sessionId = sessionId;
        this.control = control;
        this.book = book;
        this.gatherTimeoutMillis = gatherTimeoutMillis;
        this.hostCandidatesOnly = hostCandidatesOnly;
    }

    /** Binds the session this owner serves; before it starts, on the control executor. */
    public void bind(WebRtcSession bound) {
        this.session = bound;
    }

    public String sessionId() {
        return sessionId;
    }

    /** The local answer with its candidates; fails with the end reason when the session ends before. */
    public CompletableFuture<String> answer() {
        return answer;
    }

    public boolean isEnded() {
        return ended;
    }

    public String endReason() {
        return endReason;
    }

    /** Candidates of the remote peer (a trickle PATCH); {@code candidate} without the {@code a=}. */
    public void addRemoteCandidate(int mlineIndex, String candidate) {
        control.execute(() -> {
            if (session != null && !ended) {
                session.remoteCandidate(mlineIndex, candidate);
            }
        });
    }

    /** Ends the session from the door (DELETE); returns at once. */
    public void end(String reason) {
        control.execute(() -> {
            if (session != null && !ended) {
                session.end(reason, false);
            }
        });
    }

    // --- WebRtcSession.Owner (control executor) ---------------------------------------------------------------

    @Override
    public void sendSdp(String id, String type, String sdp) {
        if (description != null || answer.isDone()) {
            return;
        }
        description = sdp;
        gatherDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(gatherTimeoutMillis);
        gatherWatch = control.scheduleWithFixedDelay(this::checkGathering, 0, GATHER_POLL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void sendIce(String id, int mlineIndex, String candidate) {
        if (!answer.isDone() && candidate != null && !candidate.isEmpty()) {
            candidates.add(new Object[] {mlineIndex, candidate});
            lastCandidateNanos = System.nanoTime();
        }
    }

    @Override
    public void sendEndSession(String id) {
        // nothing to tell: an HTTP client sees the end as ICE/DTLS going away
    }

    @Override
    public void ended(WebRtcSession endedSession) {
        ended = true;
        endReason = endedSession.endReason();
        stopWatch();
        answer.completeExceptionally(new IllegalStateException(endReason));
        book.ended(endedSession);
    }

    private void checkGathering() {
        if (answer.isDone() || session == null) {
            stopWatch();
            return;
        }
        long now = System.nanoTime();
        if (answerReady(session.iceGatheringComplete(), hostCandidatesOnly, candidates.size(),
                now - lastCandidateNanos, now - gatherDeadline, TimeUnit.MILLISECONDS.toNanos(gatherTimeoutMillis))) {
            stopWatch();
            answer.complete(withCandidates(description, candidates));
        }
    }

    /**
     * Whether the answer can go with the candidates gathered so far. webrtcbin reports its gathering state at once,
     * while its candidates reach this executor as tasks queued from its own thread: ready only once a candidate is
     * here, or the client would get an answer it cannot connect to. With host candidates only, ready once they
     * stopped coming for {@link #HOST_CANDIDATES_QUIET_MILLIS}. Past the deadline, answer with what there is; past
     * twice the deadline, even with none.
     */
    static boolean answerReady(boolean gatheringComplete, boolean hostCandidatesOnly, int candidates,
            long sinceLastCandidateNanos, long overdueNanos, long timeoutNanos) {
        boolean settled = hostCandidatesOnly && candidates > 0
                && sinceLastCandidateNanos >= TimeUnit.MILLISECONDS.toNanos(HOST_CANDIDATES_QUIET_MILLIS);
        boolean complete = gatheringComplete || settled || overdueNanos > 0;
        return complete && (candidates > 0 || overdueNanos > timeoutNanos);
    }

    private void stopWatch() {
        if (gatherWatch != null) {
            gatherWatch.cancel(false);
            gatherWatch = null;
        }
    }

    /**
     * Puts {@code a=candidate} lines at the end of their media sections, and {@code a=end-of-candidates} after
     * them, so that a client without trickle support has everything in the answer.
     */
    public static String withCandidates(String sdp, List<Object[]> candidates) {
        String[] lines = sdp.split("\r?\n");
        StringBuilder out = new StringBuilder(sdp.length() + candidates.size() * 100);
        int media = -1;
        for (String line : lines) {
            if (line.startsWith("m=")) {
                if (media >= 0) {
                    appendCandidates(out, media, candidates);
                }
                media++;
            }
            if (!line.startsWith("a=candidate:") && !line.equals("a=end-of-candidates")) {
                out.append(line).append("\r\n");
            }
        }
        if (media >= 0) {
            appendCandidates(out, media, candidates);
        }
        return out.toString();
    }

    private static void appendCandidates(StringBuilder out, int media, List<Object[]> candidates) {
        for (Object[] candidate : candidates) {
            if ((Integer) candidate[0] == media) {
                String text = (String) candidate[1];
                out.append(text.startsWith("a=") ? text : "a=" + text).append("\r\n");
            }
        }
        out.append("a=end-of-candidates\r\n");
    }
}
