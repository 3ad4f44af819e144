package io.pistream.webrtc.internal.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.Subscription;
import io.pistream.api.Tier;
import io.pistream.gstreamer.AppSrcSink;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.LibGst;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer: {@code appsrc ! rtp<codec>pay ! capsfilter ! webrtcbin} per stream (video, audio), fed from the
 * hub's shared encoders. The producer offers every configured video codec in one m-line plus Opus, and sends
 * the one the viewer's answer puts first; or it answers the viewer's offer with the first codec it can send.
 * It subscribes to the hub only once ICE and DTLS are up, so that the viewer starts with a fresh key frame
 * instead of a burst of stale frames. Video starts on the top tier of the source's quality ladder; every reading of
 * the link (loss, round trip, the viewer's estimate) may move the viewer one tier down or up ({@link TierChooser}),
 * at the new tier's first key frame ({@link SwitchingSink}). Every tier is encoded once by the hub, whatever the
 * number of viewers on it.
 */
public final class ProducerSession extends WebRtcSession {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerSession.class);
    private static final long KEY_FRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int MTU = 1200;
    private static final long SWITCH_TIMEOUT_MILLIS = 5000;
    /**
     * After a move up, the tier left stays subscribed this long, and the packets the viewer asks for again are
     * counted every {@link #TRIAL_WINDOW_MILLIS}: a link that cannot carry the new tier fills its queue and drops
     * within a second (a 1 Mbit/s link given 2 Mbit/s in 0.3 s), long before a receiver report tells it.
     */
    private static final long TRIAL_MILLIS = 4000;
    private static final long TRIAL_WINDOW_MILLIS = 250;
    /** Packets asked again in one window, as a share of those the new tier sends in it, that undo a move up. */
    private static final double TRIAL_NACKED_SHARE = 0.10;
    private static final int TRIAL_NACKED_AT_LEAST = 4;

    /**
     * What a session sends.
     *
     * @param videoSource   hub source of the video, or empty for none
     * @param videoCodecs   video codecs to offer, in order of preference
     * @param audioSource   hub source of the audio (sent as Opus), or empty for none
     * @param fecPercentage forward error correction on video (ulpfec in red), in percent of the media packets;
     *                      0: none
     * @param nack          whether video is repaired by NACK and retransmission (RTX on its own payload type)
     * @param adaptation    whether each viewer moves between the tiers of the video source's quality ladder by
     *                      what its link reports (see {@link TierChooser}); otherwise every viewer gets the top
     */
    public record Plan(String videoSource, List<RtpCodec> videoCodecs, String audioSource, int fecPercentage,
            boolean nack, boolean adaptation) {
        public Plan {
            videoCodecs = List.copyOf(videoCodecs);
            if (fecPercentage < 0 || fecPercentage > 100) {
                throw new IllegalArgumentException("FEC percentage must be 0 to 100, was " + fecPercentage);
            }
        }

        /** With NACK and adaptation, the defaults. */
        public Plan(String videoSource, List<RtpCodec> videoCodecs, String audioSource, int fecPercentage) {
            this(videoSource, videoCodecs, audioSource, fecPercentage, true, true);
        }

        public Plan(String videoSource, List<RtpCodec> videoCodecs, String audioSource) {
            this(videoSource, videoCodecs, audioSource, 0);
        }

        /** The same plan for other sources. */
        public Plan withSources(String video, String audio) {
            return new Plan(video, videoCodecs, audio, fecPercentage, nack, adaptation);
        }

        public boolean hasVideo() {
            return !videoSource.isEmpty() && !videoCodecs.isEmpty();
        }

        public boolean hasAudio() {
            return !audioSource.isEmpty();
        }
    }

    /** One stream of the session, from the hub to a webrtcbin sink pad. */
    private final class Stream {
        final int index;
        final String source;
        final Pointer pad;
        RtpCodec codec;
        int payload;
        SwitchingSink sink;
        /** The stream's payloader, which the pipeline keeps. */
        Pointer payloader;
        /** The subscription that feeds the viewer now, and its route through the sink. */
        volatile Subscription subscription;
        SwitchingSink.Route route;
        volatile long lastKeyFrameRequest;
        /** The video source's ladder, top first; one tier only when the viewer does not move. */
        List<Tier> tiers = List.of();
        volatile Tier tier;
        volatile String tierReason;
        /** Moves the viewer between the tiers; null when it does not move. */
        TierChooser chooser;
        /** What each tier the viewer left sent it, in kbit/s; control executor only. */
        final Map<Integer, Long> measuredKbps = new HashMap<>();
        /** A move waiting for the first key frame of its tier; control executor only. */
        Switch pending;
        /** The tier left by a move up, kept while that move is on trial; control executor only. */
        WayBack wayBack;

        Stream(int index, String source, Pointer pad) {
            this.index = index;
            this.source = source;
            this.pad = pad;
        }
    }

    /** A subscription to another tier, waiting to take over at its first key frame. */
    private record Switch(Tier tier, String reason, Subscription subscription, SwitchingSink.Route route,
            ScheduledFuture<?> timeout) {
    }

    /** The tier a move up left, still subscribed, and the watch that undoes the move when the link chokes on it. */
    private record WayBack(Tier tier, Subscription subscription, SwitchingSink.Route route,
            ScheduledFuture<?> watch) {
    }

    private final MediaHub hub;
    private final Plan plan;
    private final String offer;
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final AtomicLong keyFrameRequests = new AtomicLong();

    public ProducerSession(String sessionId, String peerId, String offer, MediaHub hub, Plan plan,
            SessionSettings settings, Owner owner, ScheduledExecutorService control, Executor teardown) {
        super("producer", sessionId, peerId, settings, owner, control, teardown);
        this.hub = hub;
        this.plan = plan;
        this.offer = offer;
    }

    @Override
    protected void begin() throws MediaException {
        if (offer == null) {
            beginWithOffer();
        } else {
            beginWithAnswer();
        }
    }

    // --- we offer ---------------------------------------------------------------------------------------------

    private void beginWithOffer() {
        int index = 0;
        if (plan.hasVideo()) {
            String preferences = plan.videoCodecs().stream().map(c -> c.offerCaps(c.defaultPayload()))
                    .collect(Collectors.joining(";"));
            streams.add(new Stream(index, plan.videoSource(), keepNative(WebRtcNative.requestSendPad(webrtcbin,
                    index++, WebRtcNative.DIRECTION_SENDONLY, preferences, plan.nack(), plan.fecPercentage()))));
        }
        if (plan.hasAudio()) {
            streams.add(new Stream(index, plan.audioSource(), keepNative(WebRtcNative.requestSendPad(webrtcbin,
                    index, WebRtcNative.DIRECTION_SENDONLY, RtpCodec.OPUS.offerCaps(RtpCodec.OPUS.defaultPayload()),
                    false, 0))));
        }
        if (streams.isEmpty()) {
            throw new SessionFailure("nothing to send: no video and no audio source configured");
        }
        pipeline.play();
        then(WebRtcNative.createDescription(webrtcbin, true, control, requestTimeout()).thenApply(
                created -> Sdp.askingForEstimates(created, null)), "creating the offer",
                sdp -> then(WebRtcNative.setDescription(webrtcbin, true, WebRtcNative.SDP_OFFER, sdp, control,
                        requestTimeout()), "setting the local offer", ignored -> {
                            sendLocalDescription("offer", sdp);
                            LOG.debug("Session {}: offer sent", sessionId);
                        }));
    }

    @Override
    public void remoteDescription(String type, String sdp) {
        if (isEnded()) {
            return;
        }
        if (offer != null || !"answer".equals(type)) {
            LOG.warn("Session {}: unexpected {} from {} ignored", sessionId, type, peerId);
            return;
        }
        if (state() != Phase.NEGOTIATING) {
            LOG.warn("Session {}: second answer from {} ignored", sessionId, peerId);
            return;
        }
        Sdp answer;
        try {
            answer = Sdp.parse(sdp == null ? "" : sdp);
            chooseFromAnswer(answer);
        } catch (SessionFailure e) {
            end(e.getMessage(), true);
            return;
        }
        then(WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_ANSWER, sdp, control,
                requestTimeout()), "the viewer's answer was refused", ignored -> {
                    remoteDescriptionSet();
                    buildStreams();
                });
    }

    /** The codec of each stream is the first format of its m-line in the answer, as webrtcsink does. */
    private void chooseFromAnswer(Sdp answer) {
        if (answer.media().isEmpty()) {
            throw new SessionFailure("the viewer's answer is not SDP or has no media");
        }
        for (Stream stream : streams) {
            Sdp.Media media = stream.index < answer.media().size() ? answer.media().get(stream.index) : null;
            Sdp.Format format = media == null || media.direction().equals("inactive") ? null : media.first();
            RtpCodec codec = format == null ? null : RtpCodec.forEncodingName(format.encoding()).orElse(null);
            boolean offered = codec != null && (codec.isVideo() ? plan.videoCodecs().contains(codec)
                    : codec == RtpCodec.OPUS);
            if (offered) {
                stream.codec = codec;
                stream.payload = format.payload();
            } else {
                LOG.info("Session {}: the viewer declined the {} stream", sessionId,
                        stream.index == 0 && plan.hasVideo() ? "video" : "audio");
            }
        }
        if (streams.stream().noneMatch(s -> s.codec != null)) {
            throw new SessionFailure("the viewer accepted none of the offered codecs");
        }
    }

    // --- the viewer offers ------------------------------------------------------------------------------------

    private void beginWithAnswer() {
        Sdp remote = Sdp.parse(offer);
        if (remote.media().isEmpty()) {
            throw new SessionFailure("the viewer's offer is not SDP or has no media");
        }
        boolean videoTaken = false;
        boolean audioTaken = false;
        for (Sdp.Media media : remote.media()) {
            if (media.direction().equals("sendonly") || media.direction().equals("inactive")) {
                continue;
            }
            if (media.kind().equals("video") && plan.hasVideo() && !videoTaken) {
                Sdp.Format format = pickVideo(media);
                if (format != null) {
                    addAnswerStream(media.index(), plan.videoSource(), RtpCodec.forEncodingName(format.encoding())
                            .orElseThrow(), format.payload());
                    videoTaken = true;
                }
            } else if (media.kind().equals("audio") && plan.hasAudio() && !audioTaken) {
                for (Sdp.Format format : media.formats()) {
                    if (format.encoding().equals("OPUS")) {
                        addAnswerStream(media.index(), plan.audioSource(), RtpCodec.OPUS, format.payload());
                        audioTaken = true;
                        break;
                    }
                }
            }
        }
        if (streams.isEmpty()) {
            throw new SessionFailure("the viewer's offer asks for nothing we can send (we send "
                    + plan.videoCodecs() + (plan.hasAudio() ? " and OPUS" : "") + ")");
        }
        pipeline.play();
        then(WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_OFFER, offer, control,
                requestTimeout()), "the viewer's offer was refused", ignored -> {
                    remoteDescriptionSet();
                    then(WebRtcNative.createDescription(webrtcbin, false, control, requestTimeout()).thenApply(
                            created -> Sdp.askingForEstimates(created, offer)),
                            "creating the answer", answer -> then(WebRtcNative.setDescription(webrtcbin, true,
                                    WebRtcNative.SDP_ANSWER, answer, control, requestTimeout()),
                                    "setting the local answer", done -> {
                                        checkOwnAnswer(Sdp.parse(answer));
                                        sendLocalDescription("answer", answer);
                                        buildStreams();
                                    }));
                });
    }

    /** Our preference order; among H.264 formats, baseline profiles first. */
    private Sdp.Format pickVideo(Sdp.Media media) {
        for (RtpCodec codec : plan.videoCodecs()) {
            Sdp.Format fallback = null;
            for (Sdp.Format format : media.formats()) {
                if (codec == RtpCodec.VP8 && format.encoding().equals("VP8")) {
                    return format;
                }
                if (codec == RtpCodec.H264 && format.isH264Mode1()) {
                    if (format.isBaselineProfile()) {
                        return format;
                    }
                    if (fallback == null) {
                        fallback = format;
                    }
                }
            }
            if (fallback != null) {
                return fallback;
            }
        }
        return null;
    }

    private void addAnswerStream(int mlineIndex, String source, RtpCodec codec, int payload) {
        Stream stream = new Stream(mlineIndex, source, keepNative(WebRtcNative.requestSendPad(webrtcbin, mlineIndex,
                WebRtcNative.DIRECTION_SENDONLY, codec.sendCaps(payload), codec.isVideo() && plan.nack(),
                codec.isVideo() ? plan.fecPercentage() : 0)));
        stream.codec = codec;
        stream.payload = payload;
        streams.add(stream);
    }

    /** webrtcbin answers with the intersection of the offer and our preferences; make sure it kept our choice. */
    private void checkOwnAnswer(Sdp answer) {
        for (Stream stream : streams) {
            Sdp.Media media = stream.index < answer.media().size() ? answer.media().get(stream.index) : null;
            Sdp.Format first = media == null ? null : media.first();
            if (first == null || first.payload() != stream.payload) {
                LOG.warn("Session {}: our answer does not send {} as payload {} on m-line {}: {}", sessionId,
                        stream.codec, stream.payload, stream.index, media);
                stream.codec = null;
            }
        }
        if (streams.stream().noneMatch(s -> s.codec != null)) {
            throw new SessionFailure("webrtcbin's answer carries none of the chosen codecs");
        }
    }

    // --- media ------------------------------------------------------------------------------------------------

    /** Builds {@code appsrc ! pay ! capsfilter} for each negotiated stream and links it to its webrtcbin pad. */
    private void buildStreams() {
        List<String> names = new ArrayList<>();
        for (Stream stream : streams) {
            if (stream.codec == null) {
                continue;
            }
            try {
                buildStream(stream);
            } catch (MediaException e) {
                throw new SessionFailure("cannot build the " + stream.codec + " stream: " + e.getMessage());
            }
            names.add(stream.codec.name());
        }
        setCodecs(String.join("+", names));
        LOG.info("Session {}: sending {} to {}", sessionId, String.join("+", names), peerId);
    }

    private void buildStream(Stream stream) throws MediaException {
        String kind = stream.codec.media();
        AppSrc appSrc = (AppSrc) keep(Elements.make("appsrc", kind + "-src"));
        // AppSrcSink configures the appsrc (live, time format, do-timestamp): before the appsrc starts
        stream.sink = new SwitchingSink(new AppSrcSink(appSrc), () -> {
            if (stream.codec.isVideo()) {
                // the viewer's decoder starts once this key frame reached it, and asks for one as it does
                stream.lastKeyFrameRequest = System.nanoTime();
            }
            firstMedia();
        }, MTU);
        Element payloader = keep(Elements.make(stream.codec.payloader(), kind + "-pay"));
        stream.payloader = Natives.getRawPointer(payloader);
        payloader.set("pt", stream.payload);
        payloader.set("mtu", MTU);
        switch (stream.codec) {
            case H264 -> {
                payloader.set("config-interval", -1);
                payloader.setAsString("aggregate-mode", "zero-latency");
            }
            case VP8 -> payloader.setAsString("picture-id-mode", "15-bit");
            default -> {
            }
        }
        String caps = stream.codec.sendCaps(stream.payload);
        Element filter = keep(Elements.capsFilter(kind + "-caps", caps));
        pipeline.addMany(appSrc, payloader, filter);
        if (!Element.linkMany(appSrc, payloader, filter)) {
            throw new MediaException("cannot link appsrc, " + stream.codec.payloader() + " and capsfilter");
        }
        WebRtcNative.setPadCodecPreferences(stream.pad, caps);
        int linked = LibGst.gst_pad_link(Natives.getRawPointer(filter.getStaticPad("src")),
                stream.pad);
        if (linked != 0) {
            throw new MediaException("webrtcbin refused the " + stream.codec + " stream (pad link result " + linked
                    + ")");
        }
        if (stream.codec.isVideo()) {
            WebRtcNative.probeKeyFrameRequests(Natives.getRawPointer(payloader.getStaticPad("sink")), handlerKey());
        }
        filter.syncStateWithParent();
        payloader.syncStateWithParent();
        appSrc.syncStateWithParent();
    }

    @Override
    protected void connected() {
        for (Stream stream : streams) {
            if (stream.codec == null || stream.sink == null) {
                continue;
            }
            try {
                // the hub forces a key frame for every new subscriber
                stream.route = stream.sink.first();
                stream.subscription = hub.subscribe(stream.source, stream.codec.codec(), stream.route);
            } catch (MediaException e) {
                end("cannot subscribe to " + stream.source + "/" + stream.codec + ": " + e.getMessage(), true);
                return;
            }
            if (stream.codec.isVideo()) {
                // The subscription starts at a key frame forced for it. A viewer's decoder asks for one as it
                // starts, before that one reached it: granting that would cost every viewer of the encoder a key
                // frame and delay the next viewer to join by the encoder's key-frame limit.
                stream.lastKeyFrameRequest = System.nanoTime();
                stream.tiers = hub.tiers(stream.source);
                stream.tier = stream.tiers.isEmpty() ? Tier.TOP : stream.tiers.get(0);
                if (plan.adaptation() && stream.tiers.size() > 1) {
                    // without NACK the viewer cannot say that a probe took the room of its stream
                    stream.chooser = new TierChooser(stream.tiers.size(), plan.nack());
                    stream.tierReason = stream.chooser.choice().reason();
                }
            }
        }
    }

    /** Every second when viewers move between tiers: browsers report about once a second, and each counts. */
    @Override
    protected long linkReadingMillis() {
        return plan.adaptation() ? 1000 : super.linkReadingMillis();
    }

    /** Each reading of the link may move a video stream to another tier. */
    @Override
    protected void linkRead(double lossFraction, double rttMillis) {
        for (Stream stream : streams) {
            TierChooser chooser = stream.chooser;
            if (chooser == null || stream.subscription == null) {
                continue;
            }
            TierChooser.Choice choice = chooser.observe(lossFraction, rttMillis, estimateKbps(), sentKbps(),
                    System.nanoTime());
            LOG.debug("Session {}: loss {} %, round trip {} ms, estimate {} kbit/s: tier {}", sessionId,
                    Math.round(lossFraction * 1000) / 10.0, Math.round(rttMillis), estimateKbps(), choice.tier());
            if (choice.probe()) {
                probeForTierAbove(stream);
            } else if (choice.tier() != stream.tier.index() && stream.pending == null) {
                switchTier(stream, stream.tiers.get(choice.tier()), choice.reason());
            } else if (choice.tier() == stream.tier.index() && stream.pending == null
                    && !choice.reason().equals(stream.tierReason)) {
                // a probe that held, then failed on the reading after it: why the viewer stays
                LOG.info("Session {}: {} on tier {}: {}", sessionId, peerId, stream.tier, choice.reason());
                stream.tierReason = choice.reason();
            }
        }
    }

    /**
     * Probes the viewer's link for the room the tier above needs ({@link LinkProbe}), then tells the chooser, which
     * moves the viewer up only when the probe held and the next reading shows a clean link. A viewer that sends no
     * bandwidth estimate (REMB) is not probed (its lost packets alone tell too late), nor one whose session has no
     * retransmitter to probe with: such a viewer moves up on trial as it would without probes.
     */
    private void probeForTierAbove(Stream stream) {
        Tier above = stream.tiers.get(stream.tier.index() - 1);
        // the viewer came down from every tier above: what that one sent it is what the move up will send
        long aboveKbps = stream.measuredKbps.getOrDefault(above.index(), (long) above.bitrateKbps());
        String noProbe = stream.pending != null ? "a move is on its way"
                : estimateKbps() <= 0 ? "the viewer sends no estimate"
                : aboveKbps <= 0 ? "what tier " + above.index() + " sends is not known"
                : !canSendAgain() ? "nothing to send it with" : null;
        if (noProbe != null) {
            tellProbed(stream, new LinkProbe.Outcome(true, "no probe: " + noProbe));
            return;
        }
        long sentKbps = stream.sink.kbps();
        long extraKbps = Math.max(0, aboveKbps - sentKbps);
        // the packets sent 350 to 450 ms ago: still in the retransmission history (500 ms), and too old to stand in
        // for one the probe makes the link drop, which a receiver may wait a while to ask for
        long packetsPer50Millis = sentKbps * 1000 / 8 / 20 / stream.sink.meanPacketBytes();
        int skip = (int) (7 * packetsPer50Millis);
        int span = (int) Math.max(1, 2 * packetsPer50Millis);
        LOG.debug("Session {}: probing {}'s link for tier {} ({} kbit/s more)", sessionId, peerId, above, extraKbps);
        LinkProbe.start(control, new LinkProbe.Session() {
            @Override
            public WebRtcNative.LastPacket lastPacket() {
                return isEnded() ? null : WebRtcNative.lastPacket(stream.payloader);
            }

            @Override
            public boolean resend(int ssrc, int seqnum) {
                return sendAgain(ssrc, seqnum);
            }

            @Override
            public long packetsAskedAgain() {
                return ProducerSession.this.packetsAskedAgain();
            }

            @Override
            public long packetsSentAgain() {
                return ProducerSession.this.packetsSentAgain();
            }

            @Override
            public long estimateKbps() {
                return ProducerSession.this.estimateKbps();
            }

            @Override
            public int meanPacketBytes() {
                return stream.sink.meanPacketBytes();
            }

            @Override
            public boolean ended() {
                return isEnded();
            }
        }, aboveKbps, extraKbps, skip, span).thenAcceptAsync(outcome -> tellProbed(stream, outcome), control);
    }

    private void tellProbed(Stream stream, LinkProbe.Outcome outcome) {
        TierChooser chooser = stream.chooser;
        if (chooser == null || isEnded()) {
            return;
        }
        LOG.info("Session {}: {} on tier {}: {}", sessionId, peerId, stream.tier, outcome.summary());
        // a probe moves no one: a failed one only says why, and one that held waits for the next reading
        stream.tierReason = chooser.probed(outcome.held(), outcome.summary(), System.nanoTime()).reason();
    }

    /**
     * Subscribes to the other tier; the viewer gets it from its first key frame on, when the subscription to the
     * tier it leaves is closed. A move back to the tier a move up left takes that subscription again. A tier that
     * brings no key frame within {@link #SWITCH_TIMEOUT_MILLIS} (its encoder failed) is given up, and the viewer
     * stays where it is from then on.
     */
    private void switchTier(Stream stream, Tier to, String reason) {
        WayBack back = stream.wayBack;
        stream.wayBack = null;
        if (back != null) {
            back.watch.cancel(false);
            if (back.tier.index() == to.index()) {
                stream.sink.resume(back.route, switched -> {
                    // before its key frame reaches the payloader: its packets can be sent again if lost
                    keepRetransmissions();
                    control.execute(() -> switched(stream, switched));
                });
                back.subscription.requestKeyFrame();
                awaitKeyFrame(stream, to, reason, back.subscription, back.route);
                return;
            }
            back.subscription.close();
        }
        SwitchingSink.Route route = stream.sink.next(switched -> control.execute(() -> switched(stream, switched)));
        Subscription next;
        try {
            next = hub.subscribe(stream.source, stream.codec.codec(), to.index(), route);
        } catch (MediaException e) {
            stream.sink.cancel(route);
            stopMoving(stream, "cannot subscribe to tier " + to + ": " + e.getMessage());
            return;
        }
        awaitKeyFrame(stream, to, reason, next, route);
    }

    private void awaitKeyFrame(Stream stream, Tier to, String reason, Subscription next, SwitchingSink.Route route) {
        ScheduledFuture<?> timeout = control.schedule(() -> {
            Switch waiting = stream.pending;
            if (waiting != null && waiting.route == route && stream.sink.cancel(route)) {
                stream.pending = null;
                waiting.subscription.close();
                stopMoving(stream, "tier " + to + " sent no key frame within " + SWITCH_TIMEOUT_MILLIS + " ms");
            }
        }, SWITCH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        stream.pending = new Switch(to, reason, next, route, timeout);
        LOG.debug("Session {}: moving {} to tier {} ({})", sessionId, peerId, to, reason);
    }

    /**
     * The other tier's key frame reached the viewer: close the subscription it left, or, after a move up, keep it
     * for {@link #TRIAL_MILLIS} as the way back. On the control executor.
     */
    private void switched(Stream stream, SwitchingSink.Route route) {
        Switch done = stream.pending;
        if (done == null || done.route != route) {
            return;
        }
        stream.pending = null;
        done.timeout.cancel(false);
        Subscription left = stream.subscription;
        SwitchingSink.Route leftRoute = stream.route;
        Tier from = stream.tier;
        stream.subscription = done.subscription;
        stream.route = done.route;
        stream.tier = done.tier;
        stream.tierReason = done.reason;
        LOG.info("Session {}: {} moved from tier {} to tier {}, {}", sessionId, peerId, from, done.tier, done.reason);
        if (left == null) {
            return;
        }
        long leftKbps = stream.sink.kbps(leftRoute);
        if (leftKbps > 0) {
            stream.measuredKbps.put(from.index(), leftKbps);
        }
        if (done.tier.index() < from.index() && stream.chooser != null) {
            stream.wayBack = new WayBack(from, left, leftRoute, watchMoveUp(stream, done.tier, left));
        } else {
            left.close();
        }
    }

    /** Counts what the viewer asks for again in each window of a move up's trial; undoes the move when too much. */
    private ScheduledFuture<?> watchMoveUp(Stream stream, Tier tier, Subscription wayBack) {
        long packetsPerWindow = tier.bitrateKbps() * 1000L / 8 / MTU * TRIAL_WINDOW_MILLIS / 1000;
        long tooMany = Math.max(TRIAL_NACKED_AT_LEAST, Math.round(packetsPerWindow * TRIAL_NACKED_SHARE));
        long[] askedBefore = {packetsAskedAgain()};
        long endNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TRIAL_MILLIS);
        return control.scheduleAtFixedRate(() -> {
            WayBack back = stream.wayBack;
            if (back == null || back.subscription != wayBack) {
                return;
            }
            long asked = packetsAskedAgain();
            long inWindow = asked - askedBefore[0];
            askedBefore[0] = asked;
            LOG.debug("Session {}: {} packets asked again in the last window of a move up's trial", sessionId,
                    inWindow);
            if (inWindow >= tooMany && stream.chooser != null && stream.pending == null) {
                TierChooser.Choice choice = stream.chooser.undoUp(inWindow + " packets asked again in "
                        + TRIAL_WINDOW_MILLIS + " ms", System.nanoTime());
                if (choice.tier() != stream.tier.index()) {
                    // the lost packets of the tier given up would fill the link the way back needs
                    forgetRetransmissions();
                    switchTier(stream, stream.tiers.get(choice.tier()), choice.reason());
                }
            } else if (System.nanoTime() >= endNanos) {
                // the move up held: the tier left goes back to the hub
                stream.wayBack = null;
                back.watch.cancel(false);
                back.subscription.close();
            }
        }, TRIAL_WINDOW_MILLIS, TRIAL_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void stopMoving(Stream stream, String why) {
        stream.chooser = null;
        stream.tierReason = "stays: " + why;
        LOG.warn("Session {}: {} stays on tier {}: {}", sessionId, peerId, stream.tier, why);
    }

    @Override
    protected Tier tier() {
        Stream video = videoStream();
        return video == null ? null : video.tier;
    }

    @Override
    protected String tierReason() {
        Stream video = videoStream();
        return video == null ? null : video.tierReason;
    }

    /** The negotiated video stream, or null. */
    private Stream videoStream() {
        for (Stream stream : streams) {
            if (stream.codec != null && stream.codec.isVideo()) {
                return stream;
            }
        }
        return null;
    }

    /**
     * PLI/FIR from the viewer: ask the shared encoder for a key frame, at most every 500 ms per session, counted
     * from the first key frame sent to the viewer.
     */
    @Override
    protected void keyFrameRequested() {
        long now = System.nanoTime();
        for (Stream stream : streams) {
            Subscription subscription = stream.subscription;
            if (subscription != null && stream.codec != null && stream.codec.isVideo()
                    && now - stream.lastKeyFrameRequest > KEY_FRAME_REQUEST_INTERVAL_NANOS) {
                stream.lastKeyFrameRequest = now;
                keyFrameRequests.incrementAndGet();
                LOG.debug("Session {}: key frame requested by {}", sessionId, peerId);
                subscription.requestKeyFrame();
            }
        }
    }

    /** Key frames asked of the shared encoder because the viewer sent PLI or FIR (after rate limiting). */
    public long keyFrameRequests() {
        return keyFrameRequests.get();
    }

    @Override
    protected void release() {
        for (Stream stream : streams) {
            if (stream.sink != null) {
                stream.sink.shut();
            }
            Subscription subscription = stream.subscription;
            stream.subscription = null;
            if (subscription != null) {
                subscription.close();
            }
            Switch waiting = stream.pending;
            stream.pending = null;
            if (waiting != null) {
                waiting.timeout.cancel(false);
                waiting.subscription.close();
            }
            WayBack back = stream.wayBack;
            stream.wayBack = null;
            if (back != null) {
                back.watch.cancel(false);
                back.subscription.close();
            }
        }
    }

    /** The negotiated codecs in lower case, for logs. */
    @Override
    public String toString() {
        return "session " + sessionId + " with " + peerId + " (" + status().codecs().toLowerCase(Locale.ROOT) + ")";
    }
}
