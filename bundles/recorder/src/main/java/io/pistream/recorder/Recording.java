package io.pistream.recorder;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A recording, running or finished.
 *
 * @param id      short id to stop it with
 * @param video   the video source recorded
 * @param audio   the audio source recorded, or null
 * @param file    the file written
 * @param started when it started
 * @param state   RECORDING, STOPPED or FAILED
 * @param error   why it failed, or null
 */
public record Recording(String id, String video, String audio, Path file, Instant started, String state,
        String error) {
}
