/**
 * Checks of host names, IP addresses and {@code host:port} as they appear in configuration, shared by every bundle
 * that validates them. Nothing here ever looks a name up in DNS.
 */
@Version("1.0.0")
package io.pistream.api.net;

import org.osgi.annotation.versioning.Version;
