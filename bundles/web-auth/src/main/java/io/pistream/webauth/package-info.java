/**
 * The HTTP door as the servlets of the device's connector see it: who sent a request.
 */
@Version("1.0.0")
package io.pistream.webauth;

import org.osgi.annotation.versioning.Version;
