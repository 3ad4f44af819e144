package io.pistream.gstreamer;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;

import org.freedesktop.gstreamer.Element;
import org.osgi.annotation.versioning.ConsumerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MediaSource} made from a configuration that may be refused. Each new configuration replaces the settings
 * in force as a whole, so that the hub, told by the changed service properties, rebuilds the capture with them. A
 * refused configuration keeps the source registered with its {@link #problem()}, so that {@code pistream:sources}
 * says what is wrong, and it never runs: {@link #createElement()} refuses before anything is built.
 *
 * @param <S> the checked settings of one configuration
 */
@ConsumerType
public abstract class ConfiguredSource<S extends ConfiguredSource.Settings> implements MediaSource {

    /** What a source's checked configuration gives. */
    @ConsumerType
    public interface Settings {

        /** The source's identifier, as in {@link MediaSource#id()}. */
        String id();

        /** Name shown to users. */
        String name();

        /** Why the configuration was refused, naming every bad key at once, or {@code null}. */
        String problem();

        /** What the hub does when the stream ends: a live device fails (and is rebuilt) unless said otherwise. */
        default AtEnd atEnd() {
            return AtEnd.FAIL;
        }

        /** The end of a file is played again if it loops, else the stream is over; a device's end is a failure. */
        static AtEnd endOf(boolean file, boolean loop) {
            return !file ? AtEnd.FAIL : loop ? AtEnd.RESTART : AtEnd.STOP;
        }
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final MediaKind kind;
    private final String label;
    private volatile S settings;

    /** @param label what the log calls the source, e.g. {@code Camera} */
    protected ConfiguredSource(MediaKind kind, String label) {
        this.kind = kind;
        this.label = label;
    }

    /** Puts new settings in force and says so in the log: what the source now is, or why it was refused. */
    protected void apply(S next) {
        settings = next;
        if (next.problem() != null) {
            log.error("{} '{}' refused. {}", label, next.id(), next.problem());
        } else {
            log.info("{} '{}': {}", label, next.id(), describe(next));
        }
    }

    /** The settings in force. */
    protected final S settings() {
        return settings;
    }

    /** What the log says of accepted settings, e.g. the device and the format. */
    protected abstract String describe(S accepted);

    /** Builds the capture (see {@link MediaSource#createElement()}) from settings that have no problem. */
    protected abstract Element build(S accepted) throws MediaException;

    @Override
    public final String id() {
        return settings.id();
    }

    @Override
    public final MediaKind kind() {
        return kind;
    }

    @Override
    public final String name() {
        return settings.name();
    }

    @Override
    public final Element createElement() throws MediaException {
        S current = settings;
        if (current.problem() != null) {
            throw new MediaException(current.problem());
        }
        return build(current);
    }

    @Override
    public final String problem() {
        return settings.problem();
    }

    @Override
    public final AtEnd atEnd() {
        return settings.atEnd();
    }
}
