/**
 * The GStreamer runtime of pistream: initialisation, helpers to build elements safely and to feed encoded
 * buffers into consumer pipelines.
 */
@Version("2.2.0")
package io.pistream.gstreamer;

import org.osgi.annotation.versioning.Version;
