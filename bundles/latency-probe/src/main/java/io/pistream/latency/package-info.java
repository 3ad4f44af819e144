/** The capture-time stamp drawn into test frames, and how to read it back from a decoded frame. */
@Version("1.0.0")
package io.pistream.latency;

import org.osgi.annotation.versioning.Version;
