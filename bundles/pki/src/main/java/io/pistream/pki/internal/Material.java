package io.pistream.pki.internal;

import java.nio.file.Path;

import io.pistream.pki.PkiFiles;
import io.pistream.pki.TlsMaterial;

/** The files of a PKI directory, as the {@link TlsMaterial} service. */
record Material(Path keystorePath, String keystorePassword, String keyAlias, Path caCertificatePath,
        Path certificatePemPath, Path privateKeyPemPath) implements TlsMaterial {

    static Material of(PkiFiles files, String password, String alias) {
        return new Material(files.keystore(), password, alias, files.caCertificate(), files.serverCertificate(),
                files.serverKey());
    }

    @Override
    public String toString() { // never the password
        return "TlsMaterial[" + keystorePath + ", alias " + keyAlias + "]";
    }
}
