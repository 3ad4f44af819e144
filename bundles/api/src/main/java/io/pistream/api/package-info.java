/**
 * Contracts between pistream bundles: media sources, encoders and the media hub that shares one capture and
 * one encoder per codec among any number of outputs.
 */
@Version("1.1.0")
package io.pistream.api;

import org.osgi.annotation.versioning.Version;
