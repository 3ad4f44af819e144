/**
 * Still pictures of video sources: {@link Snapshots} answers a JPEG of a source's current picture, taken from the
 * capture that already runs for other viewers, or from one started on demand through the media hub (never a second
 * capture of the same device).
 */
@Version("1.0.0")
package io.pistream.api.snapshot;

import org.osgi.annotation.versioning.Version;
