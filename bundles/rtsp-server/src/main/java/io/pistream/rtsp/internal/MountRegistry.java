package io.pistream.rtsp.internal;

/** Where mount components register their mounts: the RTSP server component. Internal to this bundle. */
public interface MountRegistry {

    /** Adds a valid mount; it is served as soon as the server runs and its sources exist. */
    RtspServer.Registration addMount(MountSpec spec);

    /** Lists a configuration refused for bad values, with the reason, in the server's status. */
    RtspServer.Registration addRefused(String name, String path, String reason);
}
