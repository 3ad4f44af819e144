package io.pistream.audio;

import io.pistream.api.MediaException;

/** A text-to-speech source that speaks on demand into its running stream. */
public interface SpeechSource {

    /** The id of the media source this speaks into. */
    String id();

    /**
     * Speaks {@code text} after whatever is being said now. The text is handed to espeak as a property value,
     * never parsed as pipeline syntax.
     *
     * @throws MediaException when the source is not running (nobody would hear it) or speech synthesis fails
     */
    void say(String text) throws MediaException;
}
