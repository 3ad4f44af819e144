package io.pistream.rtsp;

/**
 * A configured mount point.
 *
 * @param name    the configuration that defines it (its PID)
 * @param path    the path clients ask for, for example {@code /camera}; null when the configuration has none
 * @param url     the address to give to players, or null when the mount is not served
 * @param kind    {@code hub} (fed from the media hub) or {@code launch} (an admin-defined pipeline)
 * @param video   the video source id of a hub mount, else null
 * @param audio   the audio source id of a hub mount, else null
 * @param shared  whether all clients share one media pipeline
 * @param state   {@code serving}, {@code waiting} (for a source or an encoder) or {@code refused} (bad configuration)
 * @param detail  what the mount waits for, why it was refused, or which streams it serves
 * @param medias  media pipelines running for this mount
 * @param clients clients playing this mount
 */
public record RtspMount(String name, String path, String url, String kind, String video, String audio,
        boolean shared, String state, String detail, int medias, int clients) {
}
