package io.pistream.recorder;

import io.pistream.api.MediaException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The files of finished recordings, registered by the recorder next to {@link Recorder}: callers name a recording
 * by its id and never by a path, so that nothing outside the recordings directory can be reached.
 */
@ProviderType
public interface RecordingFiles {

    /**
     * Deletes a stopped or failed recording's file and forgets the recording.
     *
     * @throws MediaException when no recording has this id, when it is still recording, or when its file cannot be
     *                        deleted
     */
    void delete(String recordingId) throws MediaException;
}
