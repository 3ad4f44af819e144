/**
 * RTP/UDP push of a source's shared H.264 (and Opus) from the media hub: {@link RtpPush} for a {@link RtpTarget}.
 * Other outputs that end in plain RTP (a media server's ingest ports, for example) use it rather than building
 * their own payloaders.
 */
@Version("1.0.0")
package io.pistream.rtp.push;

import org.osgi.annotation.versioning.Version;
