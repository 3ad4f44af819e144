/**
 * The RTSP server of pistream: what it serves (mounts) and to whom (clients), for the shell, the REST API and the
 * web console.
 */
@Version("1.3.0")
package io.pistream.rtsp;

import org.osgi.annotation.versioning.Version;
