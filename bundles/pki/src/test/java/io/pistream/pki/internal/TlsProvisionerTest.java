package io.pistream.pki.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import io.pistream.pki.CaNameConstraints;
import io.pistream.pki.CertificateAuthority;
import io.pistream.pki.KeyType;
import io.pistream.pki.PkiException;
import io.pistream.pki.PkiFiles;
import io.pistream.pki.ServerCertificates;
import io.pistream.pki.SubjectAltNames;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsProvisionerTest {

    @TempDir
    Path directory;

    private final AtomicReference<SubjectAltNames> names =
            new AtomicReference<>(SubjectAltNames.parse("pi, pi.local, localhost, 127.0.0.1, ::1, 192.168.1.20"));

    private TlsProvisioner provisioner(String password, int renewDays, Clock clock) {
        return provisioner("cam.example.org", password, renewDays, clock);
    }

    private TlsProvisioner provisioner(String extraNames, String password, int renewDays, Clock clock) {
        PkiSettings settings = PkiSettings.of(directory.toString(), password, extraNames, renewDays, 60, true,
                System::getProperty);
        return new TlsProvisioner(settings, names::get, () -> "pi", clock);
    }

    private TlsProvisioner provisioner() {
        return provisioner("", 30, Clock.systemUTC());
    }

    @Test
    void firstStartCreatesEverythingSecondStartKeepsIt() throws Exception {
        TlsProvisioner.Outcome first = provisioner().ensure();
        assertTrue(first.ca().wasCreated());
        assertEquals("there was none", first.issueReason());
        PkiFiles files = new PkiFiles(directory);
        for (Path file : new Path[] {files.caCertificate(), files.caKey(), files.keystore(), files.keystorePassword(),
                files.serverCertificate(), files.serverKey()}) {
            assertTrue(Files.isRegularFile(file), file.toString());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.caKey())));
        String password = Files.readString(files.keystorePassword());
        assertEquals(32, password.length());
        assertEquals(password, first.material().keystorePassword());
        assertTrue(first.certificate().names().dnsNames().contains("cam.example.org"));
        assertTrue(first.certificate().names().dnsNames().contains("pi.local"));

        long modified = Files.getLastModifiedTime(files.keystore()).toMillis();
        TlsProvisioner.Outcome second = provisioner().ensure();
        assertFalse(second.changed());
        assertNull(second.issueReason());
        assertEquals(first.certificate().serialNumber(), second.certificate().serialNumber());
        assertEquals(password, second.material().keystorePassword());
        assertEquals(modified, Files.getLastModifiedTime(files.keystore()).toMillis());
    }

    @Test
    void theNewCaMayVouchForTheDevicesNamesAndTheExtraNamesOnly() throws Exception {
        names.set(names.get().plus(SubjectAltNames.parse("198.51.100.20")));
        TlsProvisioner.Outcome first = provisioner("cam.example.org, 203.0.113.7", "", 30, Clock.systemUTC()).ensure();
        assertNull(first.warning());
        CaNameConstraints permitted = first.ca().nameConstraints().orElseThrow();
        assertEquals("DNS:local, DNS:localhost, DNS:pi, DNS:cam.example.org, IP:127.0.0.0/8, IP:::1/128, "
                + "IP:10.0.0.0/8, IP:172.16.0.0/12, IP:192.168.0.0/16, IP:169.254.0.0/16, IP:fc00::/7, IP:fe80::/10, "
                + "IP:198.51.100.20/32, IP:203.0.113.7/32", permitted.toString());
        assertEquals(SubjectAltNames.EMPTY, permitted.notPermitted(first.certificate().names()));
        assertTrue(first.certificate().names().dnsNames().contains("cam.example.org"));
    }

    @Test
    void namesTheCaMayNotVouchForAreLeftOutWithAWarningAndCauseNoReissue() throws Exception {
        TlsProvisioner.Outcome first = provisioner().ensure();
        // later: a public address, and a name added to extra.names
        names.set(names.get().plus(SubjectAltNames.parse("198.51.100.9")));
        TlsProvisioner.Outcome later = provisioner("cam.example.org, other.example.net", "", 30, Clock.systemUTC())
                .ensure();
        assertFalse(later.issued());
        assertEquals(first.certificate().serialNumber(), later.certificate().serialNumber());
        assertTrue(later.warning().contains("may not vouch for DNS:other.example.net, IP:198.51.100.9"),
                later.warning());
        assertTrue(later.warning().contains("remove ca.crt and ca.key"), later.warning());

        // a new private address is permitted: the certificate is re-issued with it, still without the others
        names.set(names.get().plus(SubjectAltNames.parse("10.0.0.5")));
        TlsProvisioner.Outcome moved = provisioner("cam.example.org, other.example.net", "", 30, Clock.systemUTC())
                .ensure();
        assertTrue(moved.issued());
        assertTrue(moved.issueReason().contains("IP:10.0.0.5"), moved.issueReason());
        assertFalse(moved.certificate().names().dnsNames().contains("other.example.net"));
        assertTrue(moved.warning().contains("other.example.net"), moved.warning());
    }

    @Test
    void aCertificateExpiringWithinRenewDaysIsReissuedWithTheSameCa() throws Exception {
        TlsProvisioner.Outcome first = provisioner().ensure();
        PkiFiles files = new PkiFiles(directory);
        byte[] ca = Files.readAllBytes(files.caCertificate());
        // replace it by one that expires in 10 days
        ServerCertificates.issue(CertificateAuthority.load(files), first.certificate().names(), Duration.ofDays(10),
                KeyType.EC_P256, Clock.systemUTC()).writeTo(files, first.material().keystorePassword(), "pistream");

        TlsProvisioner.Outcome renewed = provisioner().ensure();
        assertTrue(renewed.issued());
        assertTrue(renewed.issueReason().contains("within 30 days"), renewed.issueReason());
        assertFalse(renewed.ca().wasCreated());
        assertArrayEquals(ca, Files.readAllBytes(files.caCertificate()));
        assertTrue(renewed.certificate().notAfter().isAfter(Instant.now().plus(Duration.ofDays(390))));

        // with renew.days 5 the 10-day certificate would have been kept
        ServerCertificates.issue(CertificateAuthority.load(files), first.certificate().names(), Duration.ofDays(10),
                KeyType.EC_P256, Clock.systemUTC()).writeTo(files, first.material().keystorePassword(), "pistream");
        assertFalse(provisioner("", 5, Clock.systemUTC()).ensure().issued());
    }

    @Test
    void aCertificateFarFromExpiryIsKeptUntilItNearsItsEnd() throws Exception {
        TlsProvisioner.Outcome first = provisioner().ensure();
        Clock in300Days = Clock.offset(Clock.systemUTC(), Duration.ofDays(300));
        assertFalse(provisioner("", 30, in300Days).ensure().issued());
        Clock in380Days = Clock.offset(Clock.systemUTC(), Duration.ofDays(380));
        TlsProvisioner.Outcome late = provisioner("", 30, in380Days).ensure();
        assertTrue(late.issued());
        assertNotEquals(first.certificate().serialNumber(), late.certificate().serialNumber());
    }

    @Test
    void newNamesCauseANewCertificateLostNamesDoNot() throws Exception {
        TlsProvisioner.Outcome first = provisioner().ensure();
        names.set(SubjectAltNames.parse("pi, pi.local, localhost, 127.0.0.1, ::1"));
        assertFalse(provisioner().ensure().issued()); // wlan0 down for a moment
        names.set(SubjectAltNames.parse("pi, pi.local, localhost, 127.0.0.1, ::1, 10.0.0.5"));
        TlsProvisioner.Outcome moved = provisioner().ensure();
        assertTrue(moved.issued());
        assertTrue(moved.issueReason().contains("IP:10.0.0.5"), moved.issueReason());
        assertTrue(moved.certificate().names().ipAddresses().stream()
                .anyMatch(address -> address.getHostAddress().equals("10.0.0.5")));
        assertEquals(first.ca().sha256Fingerprint(), moved.ca().sha256Fingerprint());
    }

    @Test
    void aConfiguredPasswordReplacesTheRandomOne() throws Exception {
        provisioner().ensure();
        TlsProvisioner.Outcome configured = provisioner("my-password", 30, Clock.systemUTC()).ensure();
        assertTrue(configured.issued());
        assertEquals("my-password", configured.material().keystorePassword());
        assertEquals("my-password", Files.readString(new PkiFiles(directory).keystorePassword()));
        assertFalse(provisioner("my-password", 30, Clock.systemUTC()).ensure().issued());
    }

    @Test
    void aBrokenKeystoreIsReplaced() throws Exception {
        provisioner().ensure();
        Files.write(new PkiFiles(directory).keystore(), new byte[] {1, 2, 3});
        TlsProvisioner.Outcome repaired = provisioner().ensure();
        assertTrue(repaired.issueReason().startsWith("the keystore could not be used"), repaired.issueReason());
    }

    @Test
    void anUnsetClockKeepsWhatThereIsAndMakesNothingNew() throws Exception {
        Clock boot = Clock.fixed(Instant.parse("1970-01-01T00:01:00Z"), ZoneOffset.UTC);
        assertThrows(PkiException.class, () -> provisioner("", 30, boot).ensure());
        assertFalse(Files.exists(new PkiFiles(directory).caKey()));

        TlsProvisioner.Outcome first = provisioner().ensure();
        TlsProvisioner.Outcome atBoot = provisioner("", 30, boot).ensure();
        assertFalse(atBoot.issued());
        assertTrue(atBoot.warning().contains("system clock"), atBoot.warning());
        assertEquals(first.certificate().serialNumber(), atBoot.certificate().serialNumber());
    }

    @Test
    void aDeviceWithoutTheCaKeyUsesTheCertificateIssuedElsewhere() throws Exception {
        // the CA (permitting the device's names) and the certificate are made on a workstation; all but ca.key is
        // copied to the device
        PkiFiles workstation = new PkiFiles(directory.resolve("workstation"));
        SubjectAltNames deviceNames = names.get().plus(SubjectAltNames.parse("cam.example.org"));
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(workstation, "workstation", deviceNames,
                KeyType.EC_P256, Clock.systemUTC());
        ServerCertificates.issue(ca, deviceNames)
                .writeTo(workstation, "from-workstation", "pistream");
        PkiFiles device = new PkiFiles(directory);
        for (Path file : new Path[] {workstation.caCertificate(), workstation.keystore(),
                workstation.keystorePassword(), workstation.serverCertificate(), workstation.serverKey()}) {
            Files.copy(file, directory.resolve(file.getFileName()));
        }

        TlsProvisioner.Outcome outcome = provisioner().ensure();
        assertFalse(outcome.changed());
        assertNull(outcome.warning());
        assertEquals("from-workstation", outcome.material().keystorePassword());
        assertFalse(Files.exists(device.caKey()));

        // a new address: it cannot re-issue, so it keeps the certificate and says what to do
        names.set(names.get().plus(SubjectAltNames.parse("10.9.9.9")));
        TlsProvisioner.Outcome moved = provisioner().ensure();
        assertFalse(moved.issued());
        assertTrue(moved.warning().contains("IP:10.9.9.9") && moved.warning().contains("pistream-pki"),
                moved.warning());
        assertFalse(Files.exists(device.caKey()));

        // nothing usable at all: an error, and still no new CA
        Files.delete(device.keystore());
        PkiException e = assertThrows(PkiException.class, () -> provisioner().ensure());
        assertTrue(e.getMessage().contains("ca.key is not here"), e.getMessage());
        assertFalse(Files.exists(device.caKey()));
    }
}
