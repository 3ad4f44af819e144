/**
 * Janus outputs: each configuration {@code etc/io.pistream.janus-NAME.cfg} keeps a streaming mountpoint on a Janus
 * server fed with one RTP stream from the device. {@link JanusStatus} tells how each one is doing.
 */
@Version("1.0.0")
package io.pistream.janus;

import org.osgi.annotation.versioning.Version;
