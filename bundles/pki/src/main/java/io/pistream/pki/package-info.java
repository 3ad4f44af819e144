/**
 * The device's own public key infrastructure: a private certificate authority ({@link CertificateAuthority}) kept on
 * the device, server certificates it signs for the device's names and addresses ({@link ServerCertificates}), the
 * files they live in ({@link PkiFiles}) and the service through which other bundles find them ({@link TlsMaterial}).
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.pistream.pki;
