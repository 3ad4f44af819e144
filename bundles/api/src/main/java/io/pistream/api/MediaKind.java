package io.pistream.api;

/** What a source produces. */
public enum MediaKind {
    VIDEO,
    AUDIO
}
