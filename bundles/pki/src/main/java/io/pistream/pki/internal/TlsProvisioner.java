package io.pistream.pki.internal;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import io.pistream.pki.CertificateAuthority;
import io.pistream.pki.KeyType;
import io.pistream.pki.PkiException;
import io.pistream.pki.PkiFiles;
import io.pistream.pki.ServerCertificate;
import io.pistream.pki.ServerCertificates;
import io.pistream.pki.SubjectAltNames;

/**
 * Makes sure the PKI directory holds a CA and a usable server certificate: creates the CA if there is none, and
 * issues a server certificate (reusing the CA) when there is none, when it cannot be opened, when it expires within
 * {@code renew.days} or when the device's names are no longer all in it. No OSGi here.
 *
 * <p>If the directory holds {@code ca.crt} but no {@code ca.key}, the CA is kept on another machine: the server
 * certificate copied here from there is used as it is, with a warning when it should be re-issued.
 *
 * <p>A new CA permits the names wanted then ({@link CaNameConstraints}). A name the CA does not permit (a new public
 * address, a name added to {@code extra.names} later) is left out of the server certificate with a warning, since
 * clients would refuse a certificate that holds it; the other names keep working.
 */
final class TlsProvisioner {

    /** What {@link #ensure()} found or did. */
    record Outcome(Material material, CertificateAuthority ca, ServerCertificate certificate,
            String issueReason, String warning) {

        /** Whether a server certificate was issued (for {@link #issueReason}). */
        boolean issued() {
            return issueReason != null;
        }

        /** Whether the CA or the server certificate is new, so that servers using them must reload. */
        boolean changed() {
            return issued() || ca.wasCreated();
        }
    }

    private final PkiSettings settings;
    private final Supplier<SubjectAltNames> deviceNames;
    private final Supplier<String> hostname;
    private final Clock clock;

    TlsProvisioner(PkiSettings settings, Supplier<SubjectAltNames> deviceNames, Supplier<String> hostname,
            Clock clock) {
        this.settings = settings;
        this.deviceNames = deviceNames;
        this.hostname = hostname;
        this.clock = clock;
    }

    /** The names the server certificate must cover: the device's and {@code extra.names}. */
    SubjectAltNames wantedNames() {
        return deviceNames.get().plus(settings.extraNames());
    }

    Outcome ensure() throws PkiException {
        PkiFiles files = new PkiFiles(settings.directory());
        SubjectAltNames allWanted = wantedNames();
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(files, hostname.get(), allWanted, KeyType.EC_P256,
                clock);
        SubjectAltNames wanted = ca.nameConstraints().map(permitted -> permitted.permitted(allWanted))
                .orElse(allWanted);
        SubjectAltNames leftOut = allWanted.missingFrom(wanted);
        String password = settings.keystorePassword().isEmpty()
                ? files.readKeystorePassword().orElseGet(PkiFiles::newPassword)
                : settings.keystorePassword();
        String alias = ServerCertificates.DEFAULT_ALIAS;
        Instant now = clock.instant();

        ServerCertificate current = null;
        String reason;
        if (!Files.exists(files.keystore())) {
            reason = "there was none";
        } else {
            try {
                current = ServerCertificates.load(files, password, alias);
                Optional<String> renewal = ServerCertificates.renewalReason(current, ca, wanted,
                        Duration.ofDays(settings.renewDays()), now);
                reason = renewal.orElse(null);
                if (reason == null && !(Files.isRegularFile(files.serverCertificate())
                        && Files.isRegularFile(files.serverKey()) && Files.isRegularFile(files.keystorePassword()))) {
                    reason = "server.crt, server.key or keystore.password was missing";
                }
            } catch (PkiException e) {
                reason = "the keystore could not be used (" + e.getMessage() + ")";
            }
        }

        String warning = null;
        if (reason != null && current != null && now.isBefore(CertificateAuthority.EARLIEST_PLAUSIBLE_TIME)) {
            // keep serving what there is; the next check, after NTP has set the clock, re-issues
            warning = "the system clock reads " + now + "; the server certificate is kept until the time is set";
            reason = null;
        }
        if (reason != null && !ca.canIssue()) {
            // the CA is kept on another machine: use what was issued there, and say what to do
            if (current == null) {
                throw new PkiException("no usable server certificate in " + files.directory() + ": " + reason
                        + "; and " + files.caKey() + " is not here to issue one. Issue it where the CA is kept"
                        + " (pki/pistream-pki issue --name ... --ip ...) and copy keystore.p12, keystore.password,"
                        + " server.crt and server.key here, or remove ca.crt to let this device make its own CA");
            }
            warning = "the server certificate should be re-issued because " + reason + ", but the CA is kept on"
                    + " another machine (no ca.key here): issue it there with pki/pistream-pki (names: " + wanted
                    + ") and copy keystore.p12, keystore.password, server.crt and server.key into "
                    + files.directory();
            reason = null;
        }
        if (reason != null) {
            current = ServerCertificates.issue(ca, wanted, Duration.ofDays(ServerCertificates.MAX_VALIDITY_DAYS),
                    KeyType.EC_P256, clock);
            current.writeTo(files, password, alias);
        } else if (warning == null && ca.notAfter().isBefore(now.plus(Duration.ofDays(settings.renewDays())))) {
            warning = "the CA " + ca.certificatePath() + " expires on " + ca.notAfter() + "; create a new one"
                    + " (remove ca.crt and ca.key, restart) and import it into browsers and phones again";
        }
        if (!leftOut.isEmpty()) {
            String notPermitted = "the CA " + ca.certificatePath() + " may not vouch for " + leftOut
                    + ", so the server certificate leaves them out. To add them, make a new CA: remove ca.crt and"
                    + " ca.key and restart, then import the new ca.crt into browsers and phones again";
            warning = warning == null ? notPermitted : warning + "; " + notPermitted;
        }
        return new Outcome(Material.of(files, password, alias), ca, current, reason, warning);
    }
}
