package io.pistream.recorder;

import java.util.List;

import io.pistream.api.MediaException;

/** Records sources (their shared encoded streams, no extra encoder) to files. */
public interface Recorder {

    /**
     * Starts recording a video source, with an audio source when {@code audioSourceId} is not null.
     *
     * @throws MediaException when a source is unknown or the file cannot be created
     */
    Recording start(String videoSourceId, String audioSourceId) throws MediaException;

    /** Stops a recording and finishes its file so that it plays. */
    Recording stop(String recordingId) throws MediaException;

    List<Recording> recordings();
}
