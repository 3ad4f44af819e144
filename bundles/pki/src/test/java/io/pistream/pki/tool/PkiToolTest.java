package io.pistream.pki.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.pistream.pki.PkiFiles;
import io.pistream.pki.testing.Openssl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, as pki/pistream-pki runs it. */
class PkiToolTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return PkiTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void issueForLocalhostVerifiesWithOpensslAndReissueReusesTheCa() throws Exception {
        PkiFiles files = new PkiFiles(directory);
        assertEquals(0, run("issue", "--name", "localhost", "--ip", "127.0.0.1", "--out", directory.toString()),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("CA (created)"), out());
        assertTrue(out().contains("DNS:localhost, IP:127.0.0.1"), out());

        Openssl.Result verify = Openssl.run("verify", "-CAfile", files.caCertificate().toString(),
                files.serverCertificate().toString());
        assertEquals(0, verify.exitCode(), verify.output());
        assertEquals(files.serverCertificate() + ": OK", verify.output().strip());
        Openssl.Result text = Openssl.run("x509", "-in", files.serverCertificate().toString(), "-noout", "-text");
        assertTrue(text.output().contains("DNS:localhost, IP Address:127.0.0.1"), text.output());

        byte[] ca = Files.readAllBytes(files.caCertificate());
        byte[] firstServer = Files.readAllBytes(files.serverCertificate());
        String password = Files.readString(files.keystorePassword());
        assertEquals(0, run("issue", "--name=localhost", "--ip=127.0.0.1", "--out=" + directory));
        assertTrue(out().contains("CA (reused)"), out());
        assertArrayEquals(ca, Files.readAllBytes(files.caCertificate()));
        assertNotEquals(new String(firstServer, StandardCharsets.US_ASCII),
                Files.readString(files.serverCertificate()));
        assertEquals(password, Files.readString(files.keystorePassword()));
        assertEquals(0, Openssl.run("verify", "-CAfile", files.caCertificate().toString(),
                files.serverCertificate().toString()).exitCode());

        assertEquals(0, run("show", "--out", directory.toString()));
        assertTrue(out().contains("DNS:localhost, IP:127.0.0.1"), out());
    }

    @Test
    void issueWithoutNamesUsesTheMachinesNamesAndAGivenPassword() throws Exception {
        assertEquals(0, run("issue", "--out", directory.toString(), "--password", "p4ss", "--days", "90"));
        assertTrue(out().contains("DNS:localhost"), out());
        assertEquals("p4ss", Files.readString(new PkiFiles(directory).keystorePassword()));
        Openssl.Result pkcs12 = Openssl.run("pkcs12", "-in", new PkiFiles(directory).keystore().toString(),
                "-passin", "pass:p4ss", "-noout");
        assertEquals(0, pkcs12.exitCode(), pkcs12.output());
    }

    @Test
    void caAloneThenShow() {
        assertEquals(0, run("ca", "--out", directory.toString()));
        assertTrue(out().contains("CA (created)"), out());
        assertEquals(0, run("ca", "--out", directory.toString()));
        assertTrue(out().contains("CA (reused)"), out());
        assertEquals(0, run("show", "--out", directory.toString()));
        assertTrue(out().contains("No server certificate yet"), out());
    }

    @Test
    void theCaMayVouchOnlyForTheLocalNamesAndThosePermittedWhenItWasMade() throws Exception {
        assertEquals(0, run("ca", "--permit", "other-pi", "--permit", "198.51.100.3", "--out", directory.toString()),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(out().contains("Limited to: DNS:local, DNS:localhost, "), out());
        assertTrue(out().contains("DNS:other-pi") && out().contains("IP:198.51.100.3/32"), out());

        assertEquals(0, run("issue", "--name", "other-pi", "--name", "other-pi.local", "--ip", "198.51.100.3",
                "--ip", "192.168.1.30", "--out", directory.toString()), err.toString(StandardCharsets.UTF_8));
        PkiFiles files = new PkiFiles(directory);
        assertEquals(0, Openssl.run("verify", "-CAfile", files.caCertificate().toString(),
                files.serverCertificate().toString()).exitCode());

        assertEquals(1, run("issue", "--name", "www.example.com", "--out", directory.toString()));
        String refusal = err.toString(StandardCharsets.UTF_8);
        assertTrue(refusal.contains("cannot issue a certificate for DNS:www.example.com"), refusal);
        assertTrue(refusal.contains("pistream-pki ca --permit"), refusal);

        assertEquals(0, run("show", "--out", directory.toString()));
        assertTrue(out().contains("Limited to: DNS:local"), out());
    }

    @Test
    void badArgumentsAreRefused() {
        assertEquals(2, run("issue", "--name", "evil name!", "--out", directory.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("evil name!"));
        assertEquals(2, run("issue", "--ip", "localhost"));
        assertEquals(2, run("issue", "--days", "398"));
        assertEquals(2, run("issue", "--out"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("ca", "--name", "x"));
        assertEquals(2, run("show", "--permit", "x"));
        assertEquals(2, run("ca", "--permit", "evil name!"));
        assertEquals(1, run("show", "--out", directory.resolve("empty").toString()));
        assertEquals(0, run("help"));
        assertTrue(out().contains("Usage: pistream-pki"), out());
    }
}
