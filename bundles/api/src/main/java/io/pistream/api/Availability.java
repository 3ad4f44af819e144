package io.pistream.api;

/**
 * Whether the hub can serve a source encoded with a codec, and if not, why. Outputs ask the hub instead of
 * following the {@link MediaSource} and {@link Encoder} services themselves.
 *
 * @param sourceId   the source asked about
 * @param codec      the codec asked about
 * @param state      {@link State#AVAILABLE}, or what is missing
 * @param sourceKind the kind of the source, or {@code null} when the hub does not know it
 * @param detail     for users: the source's problem, or what the hub lacks; {@code null} when available
 */
public record Availability(String sourceId, String codec, State state, MediaKind sourceKind, String detail) {

    /** What decides whether a subscription can be made now. */
    public enum State {
        /** A subscription can be made now. */
        AVAILABLE,
        /** No source with this id is registered. */
        NO_SOURCE,
        /** The source is registered but cannot run ({@link MediaSource#problem()}, in {@code detail}). */
        SOURCE_PROBLEM,
        /** No usable encoder produces this codec from a source of this kind. */
        NO_ENCODER
    }

    public boolean available() {
        return state == State.AVAILABLE;
    }
}
