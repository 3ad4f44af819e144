package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.sun.jna.Pointer;

import io.pistream.api.Availability;
import io.pistream.api.Codecs;
import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured mounts and their state machine: a mount is {@code waiting} until the server runs and the hub can
 * serve its video source as H.264, then {@code serving} (published on the server's mount points, with audio when
 * the hub can serve that too), and back to {@code waiting} when that changes; a second mount for a taken path is
 * {@code refused} until the path is free. The hub tells each mount when what it needs changes.
 *
 * <p>State is guarded by one lock, never held while waiting for anything.
 */
final class Mounts {

    private static final Logger LOG = LoggerFactory.getLogger(Mounts.class);

    private final Object lock = new Object();
    private final Map<String, Mount> mounts = new LinkedHashMap<>(); // guarded by lock
    private final ServerSettings settings;
    private final MediaHub hub;
    private final FeedSupervisor feeds;
    /** Why the server is not running, when it is not. */
    private final Supplier<String> serverProblem;
    private Endpoint endpoint; // guarded by lock; set while the server runs
    private UnaryOperator<String> urls; // guarded by lock; the URL of a path while the server runs
    /** Whether the server runs; read without the lock on gst-rtsp-server threads. */
    private volatile boolean serving;

    Mounts(ServerSettings settings, MediaHub hub, FeedSupervisor feeds, Supplier<String> serverProblem) {
        this.settings = settings;
        this.hub = hub;
        this.feeds = feeds;
        this.serverProblem = serverProblem;
    }

    /** The server runs: publish what can be served. */
    void serving(Endpoint current, UnaryOperator<String> urlOfPath) {
        synchronized (lock) {
            endpoint = current;
            urls = urlOfPath;
            serving = true;
            mounts.values().forEach(this::refresh);
        }
    }

    /** The server does not run (refused configuration): mounts wait, and say why. */
    void notServing() {
        synchronized (lock) {
            mounts.values().forEach(this::refresh);
        }
    }

    /** The server stops: withdraw and forget every mount. */
    void closeAll() {
        synchronized (lock) {
            serving = false;
            for (Mount mount : mounts.values()) {
                mount.removed = true;
                mount.closeWatches();
                if (mount.published()) {
                    unpublish(mount);
                }
            }
            mounts.clear();
            endpoint = null;
        }
    }

    /** Adds a mount. A path already served by another mount is refused (listed, with the reason, in status). */
    RtspServer.Registration add(MountSpec spec) {
        Mount mount = new Mount(spec);
        synchronized (lock) {
            Mount owner = owner(spec.path());
            if (owner != null) {
                String reason = "path " + spec.path() + " is already served by " + owner.name;
                LOG.error("RTSP mount {} refused: {}", spec.name(), reason);
                mount.state = Mount.State.REFUSED;
                mount.detail = reason;
            }
            mounts.put(mount.name + "#" + System.identityHashCode(mount), mount);
            refresh(mount);
        }
        if (!spec.isLaunch()) {
            mount.watch(hub.watchAvailability(spec.video(), Codecs.H264, availability -> needsChanged(mount)));
            if (spec.audio() != null) {
                mount.watch(hub.watchAvailability(spec.audio(), spec.audioCodec(),
                        availability -> needsChanged(mount)));
            }
        }
        return () -> remove(mount);
    }

    /** Lists a configuration refused for bad values, so that the shell tells why it is not served. */
    RtspServer.Registration addRefused(String name, String path, String reason) {
        Mount mount = new Mount(name, path, reason);
        synchronized (lock) {
            mounts.put(mount.name + "#" + System.identityHashCode(mount), mount);
        }
        return () -> {
            synchronized (lock) {
                mounts.values().remove(mount);
            }
        };
    }

    private void remove(Mount mount) {
        List<MediaFeed> toEnd;
        mount.closeWatches();
        synchronized (lock) {
            if (!mounts.values().remove(mount)) {
                return;
            }
            mount.removed = true;
            if (mount.published()) {
                unpublish(mount);
                LOG.info("RTSP mount {} removed: {} no longer served", mount.name, mount.url);
            } else {
                LOG.info("RTSP mount {} removed", mount.name);
            }
            toEnd = new ArrayList<>(mount.feeds.values());
            // A mount refused for the same path can take over.
            for (Mount other : mounts.values()) {
                if (other.spec != null && other.state == Mount.State.REFUSED && other.spec.path().equals(
                        mount.spec == null ? null : mount.spec.path()) && owner(other.spec.path()) == null) {
                    other.state = Mount.State.WAITING;
                    refresh(other);
                    break;
                }
            }
        }
        feeds.endFeeds(toEnd, "mount " + mount.name + " removed");
    }

    /** The hub's answer for a source of this mount changed: audio gets a new chance too. */
    private void needsChanged(Mount mount) {
        synchronized (lock) {
            mount.audioFailure = null;
            refresh(mount);
        }
    }

    /** A media of the mount could not subscribe to its audio: publish it without audio until sources change. */
    void audioUnavailable(Mount mount, String reason) {
        synchronized (lock) {
            if (!mount.removed && mount.audioPublished) {
                mount.audioFailure = reason;
                refresh(mount);
            }
        }
    }

    /**
     * The hub ended the video of a media: new players need a new publication. On the control thread.
     *
     * @return the medias to end: this one and the others of the same publication
     */
    List<MediaFeed> streamEnded(MediaFeed feed, String reason) {
        List<MediaFeed> toEnd = new ArrayList<>();
        synchronized (lock) {
            Mount mount = feed.mount;
            if (!feed.isEnded()) {
                toEnd.add(feed);
            }
            if (!mount.removed && mount.published() && feed.generation == mount.generation) {
                // The shared media of this publication is at its end: new clients need a new one.
                LOG.info("RTSP mount {}: stream ended ({}); clients of {} are disconnected", mount.name, reason,
                        mount.url);
                unpublish(mount);
                for (MediaFeed other : mount.feeds.values()) {
                    if (other.generation == feed.generation && other != feed) {
                        toEnd.add(other);
                    }
                }
                mount.state = Mount.State.WAITING;
                refresh(mount);
            }
        }
        return toEnd;
    }

    /** The mount that serves or may serve a path (not refused), or null. With the lock held. */
    private Mount owner(String path) {
        for (Mount mount : mounts.values()) {
            if (mount.spec != null && mount.state != Mount.State.REFUSED && mount.spec.path().equals(path)) {
                return mount;
            }
        }
        return null;
    }

    /** Publishes, re-publishes or withdraws a mount after a change. With the lock held. */
    private void refresh(Mount mount) {
        if (mount.spec == null || mount.removed || mount.state == Mount.State.REFUSED) {
            return;
        }
        if (endpoint == null) {
            String problem = serverProblem.get();
            mount.state = Mount.State.WAITING;
            mount.detail = "the RTSP server is not running" + (problem == null ? "" : ": " + problem);
            return;
        }
        MountSpec spec = mount.spec;
        String missing = null;
        String audioNote = null;
        if (!spec.isLaunch()) {
            missing = videoMissing(spec);
            if (spec.audio() != null) {
                audioNote = audioMissing(spec);
                if (audioNote == null && mount.audioFailure != null) {
                    audioNote = "audio failed: " + mount.audioFailure;
                }
            }
        }
        boolean withAudio = !spec.isLaunch() && spec.audio() != null && audioNote == null;
        if (missing != null) {
            boolean wasPublished = mount.published();
            boolean changed = mount.state != Mount.State.WAITING || !missing.equals(mount.detail);
            mount.state = Mount.State.WAITING;
            mount.detail = missing;
            if (wasPublished) {
                unpublish(mount);
                LOG.info("RTSP mount {} withdrawn from {}: {}", mount.name, mount.url, missing);
                feeds.endFeeds(new ArrayList<>(mount.feeds.values()), missing);
            } else if (changed) {
                LOG.info("RTSP mount {} ({}) waiting: {}", mount.name, spec.path(), missing);
            }
            return;
        }
        String description = MediaTemplates.describe(spec, withAudio) + (spec.shared() ? ", shared" : "")
                + "; for role " + RtspRoles.needed(spec).id()
                + (audioNote == null ? "" : "; without audio: " + audioNote);
        if (mount.published() && mount.audioPublished == withAudio && mount.state == Mount.State.SERVING) {
            mount.detail = description;
            return;
        }
        if (mount.published()) {
            unpublish(mount); // media already playing keep running; new clients get the new publication
        }
        publish(mount, withAudio);
        mount.state = Mount.State.SERVING;
        mount.detail = description;
        LOG.info("RTSP mount {} serving {} ({})", mount.name, mount.url, description);
    }

    /** Why the hub cannot serve the video of a hub mount, or null when it can. */
    private String videoMissing(MountSpec spec) {
        Availability video = hub.availability(spec.video(), Codecs.H264);
        return switch (video.state()) {
            case AVAILABLE -> null;
            case NO_SOURCE -> "video source '" + spec.video() + "' is not available";
            case SOURCE_PROBLEM -> "video source '" + spec.video() + "' cannot run: " + video.detail();
            case NO_ENCODER -> video.sourceKind() != MediaKind.VIDEO
                    ? "source '" + spec.video() + "' is not a video source" : "no H.264 encoder is available";
        };
    }

    /** Why the hub cannot serve the audio of a hub mount, or null when it can. */
    private String audioMissing(MountSpec spec) {
        Availability audio = hub.availability(spec.audio(), spec.audioCodec());
        return switch (audio.state()) {
            case AVAILABLE -> null;
            case NO_SOURCE -> "audio source '" + spec.audio() + "' is not available";
            case SOURCE_PROBLEM -> "audio source '" + spec.audio() + "' cannot run: " + audio.detail();
            case NO_ENCODER -> audio.sourceKind() != MediaKind.AUDIO
                    ? "source '" + spec.audio() + "' is not an audio source"
                    : "no " + spec.audioCodec() + " encoder is available";
        };
    }

    private void publish(Mount mount, boolean withAudio) {
        MountSpec spec = mount.spec;
        Pointer factory = RtspLib.Server.gst_rtsp_media_factory_new();
        RtspLib.Server.gst_rtsp_media_factory_set_launch(factory,
                spec.isLaunch() ? spec.launch() : MediaTemplates.hub(withAudio ? spec.audioCodec() : null));
        RtspLib.Server.gst_rtsp_media_factory_set_shared(factory, spec.shared());
        RtspLib.Server.gst_rtsp_media_factory_set_latency(factory, settings.latencyMillis());
        RtspLib.Server.gst_rtsp_media_factory_set_protocols(factory, settings.protocolFlags());
        if (endpoint.addressPool() != null) {
            RtspLib.Server.gst_rtsp_media_factory_set_address_pool(factory, endpoint.addressPool());
        }
        Pointer permissions = RtspRoles.permissionsFor(spec);
        RtspLib.Server.gst_rtsp_media_factory_set_permissions(factory, permissions);
        LibGst.gst_mini_object_unref(permissions);
        mount.generation++;
        mount.audioPublished = withAudio;
        mount.url = urls.apply(spec.path());
        NativeEvents.watchFactory(factory, (emitter, media) -> feeds.configured(mount, media, serving));
        mount.factory = LibGObject.g_object_ref(factory);
        RtspLib.Server.gst_rtsp_mount_points_add_factory(endpoint.mountPoints(), spec.path(), factory);
    }

    private void unpublish(Mount mount) {
        RtspLib.Server.gst_rtsp_mount_points_remove_factory(endpoint.mountPoints(), mount.spec.path());
        LibGObject.g_object_unref(mount.factory);
        mount.factory = null;
    }

    /** Encoded bytes fed into the medias of a mount, by its name; 0 when there is no such mount. */
    long mediaBytes(String name) {
        long bytes = 0;
        synchronized (lock) {
            for (Mount mount : mounts.values()) {
                if (mount.name.equals(name)) {
                    bytes += mount.mediaBytes.get();
                }
            }
        }
        return bytes;
    }

    /** The mounts as the shell shows them. */
    List<RtspMount> status(Players players) {
        List<RtspMount> result = new ArrayList<>();
        synchronized (lock) {
            for (Mount mount : mounts.values()) {
                MountSpec spec = mount.spec;
                result.add(new RtspMount(mount.name, mount.path(),
                        mount.state == Mount.State.SERVING ? mount.url : null,
                        spec == null ? null : spec.isLaunch() ? "launch" : "hub",
                        spec == null ? null : spec.video(), spec == null ? null : spec.audio(),
                        spec != null && spec.shared(), mount.state.name().toLowerCase(), mount.detail,
                        (int) mount.feeds.values().stream().filter(feed -> !feed.isDisposed()).count(),
                        players.playing(mount.feeds.values())));
            }
        }
        return result;
    }
}
