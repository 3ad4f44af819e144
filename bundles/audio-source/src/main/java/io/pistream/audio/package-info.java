/** Audio sources of pistream; {@link io.pistream.audio.SpeechSource} lets other bundles speak through a source. */
@Version("1.0.0")
package io.pistream.audio;

import org.osgi.annotation.versioning.Version;
