/** Recording of sources to files. */
@Version("1.1.0")
package io.pistream.recorder;

import org.osgi.annotation.versioning.Version;
