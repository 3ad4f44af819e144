package io.pistream.api;

/** A source known to the hub. {@code problem} is null when the source is healthy. */
public record SourceStatus(String id, MediaKind kind, String name, String rawCaps, boolean running, String problem) {
}
