/**
 * Who may use the device: every door (RTSP, the web app, signalling, the HTTP API) asks {@link AccessControl} who a
 * caller is and whether they hold the {@link Role} the door needs; administration (shell, web) goes through
 * {@link Accounts}. No door keeps a user list of its own.
 */
@Version("1.0.0")
package io.pistream.api.security;

import org.osgi.annotation.versioning.Version;
