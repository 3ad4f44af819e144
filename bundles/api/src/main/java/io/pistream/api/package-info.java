/**
 * Contracts between pistream bundles: media sources, encoders and the media hub that shares one capture and
 * one encoder per codec among any number of outputs.
 * <p>
 * Sources, encoders and stream sinks are implemented by other bundles ({@code @ConsumerType}: a method added to
 * them is a major change); the hub, subscriptions and buffers are implemented by the gstreamer bundle
 * ({@code @ProviderType}: a method added is a minor change for their users). The build's baseline check enforces
 * these rules.
 */
@Version("2.3.0")
package io.pistream.api;

import org.osgi.annotation.versioning.Version;
