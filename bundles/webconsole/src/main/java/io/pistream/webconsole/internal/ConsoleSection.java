package io.pistream.webconsole.internal;

import java.io.PrintWriter;

import javax.servlet.http.HttpServletRequest;

import io.pistream.api.MediaException;
import io.pistream.api.SourceStatus;

/**
 * A part of the pistream page that shows an optional feature (RTSP, WebRTC, recorder). Each is a component of its
 * own, enabled only when the bundle is wired to its feature's package (see {@link OptionalSections}), so that the
 * page itself never touches a class that may be missing.
 */
public interface ConsoleSection {

    /** Where the section goes on the page, after the sources and streams: lower first. */
    int order();

    /**
     * Writes the section's tables, or nothing when it has nothing to show. Every string from a source, a session, a
     * client or an error message goes through {@link Html#escape(String)}; buttons come from {@code page}.
     */
    void write(PrintWriter out, ConsolePage page);

    /** The buttons this section adds to a source's row; empty by default. */
    default String sourceActions(SourceStatus source, ConsolePage page) {
        return "";
    }

    /**
     * Performs an action of this section.
     *
     * @return what happened, for the page; {@code null} when the action is not one of this section's
     */
    default String perform(String action, HttpServletRequest request) throws MediaException {
        return null;
    }
}
