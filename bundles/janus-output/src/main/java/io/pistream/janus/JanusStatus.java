package io.pistream.janus;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The Janus outputs and their state; a service of the janus bundle. */
@ProviderType
public interface JanusStatus {

    /** Every configured Janus output, refused ones included, sorted by name. */
    List<JanusMountpoint> mountpoints();
}
