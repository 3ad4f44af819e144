package io.pistream.pki.tool;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.pistream.pki.CertificateAuthority;
import io.pistream.pki.DeviceNames;
import io.pistream.pki.KeyType;
import io.pistream.pki.PkiException;
import io.pistream.pki.PkiFiles;
import io.pistream.pki.ServerCertificate;
import io.pistream.pki.ServerCertificates;
import io.pistream.pki.SubjectAltNames;

/**
 * The command line of {@code pki/pistream-pki}: {@code ca}, {@code issue}, {@code show}. The output directory
 * defaults to the system property {@code pistream.pki.dir}, else {@code pki/out}.
 */
public final class PkiTool {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join("\n",
            "Usage: pistream-pki <command> [options]",
            "",
            "Commands:",
            "  ca       create the CA (ca.crt, ca.key) if the directory has none; it may vouch only for this",
            "           machine's names, *.local, localhost, private and link-local addresses, and --permit names",
            "  issue    issue a server certificate signed by the CA (creating the CA if needed): keystore.p12,",
            "           keystore.password, server.crt, server.key; the CA is reused",
            "  show     print the CA and the server certificate",
            "",
            "Options:",
            "  --out DIR         directory of the files (default: %s)",
            "  --name NAME       issue: a DNS name (or an IP address) for the certificate; repeatable",
            "  --ip ADDRESS      issue: an IP address for the certificate; repeatable",
            "                    (no --name/--ip: this machine's names: %s)",
            "  --permit NAME     ca, issue: a DNS name (and the names below it) or IP address a new CA may vouch",
            "                    for, e.g. another device's host name; repeatable. issue's names are permitted too",
            "  --password P      issue: keystore password (default: the one in keystore.password, else random)",
            "  --days N          issue: validity in days, at most " + ServerCertificates.MAX_VALIDITY_DAYS
                    + " (the default)",
            "  --key-type ec|rsa ca, issue: EC P-256 (default) or RSA 3072",
            "",
            "Import ca.crt into browsers and phones as pki/README.md describes. Keep ca.key private.",
            "");

    private PkiTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("pistream-pki: " + e.getMessage());
            err.println("Run 'pistream-pki help' for usage.");
            return USAGE;
        }
        try {
            switch (options.command) {
                case "ca":
                    return ca(options, out);
                case "issue":
                    return issue(options, out);
                case "show":
                    return show(options, out);
                default:
                    out.print(String.format(USAGE_TEXT, defaultDirectory(), DeviceNames.collect()));
                    return OK;
            }
        } catch (PkiException | IllegalArgumentException e) {
            err.println("pistream-pki: " + e.getMessage());
            return FAILED;
        }
    }

    private static int ca(Options options, PrintStream out) throws PkiException {
        PkiFiles files = new PkiFiles(options.directory);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(files, DeviceNames.hostname(),
                DeviceNames.collect().plus(SubjectAltNames.of(options.permitted)), options.keyType, Clock.systemUTC());
        printCa(ca, out);
        out.println();
        out.println("Import " + ca.certificatePath() + " into browsers and phones (pki/README.md). Keep "
                + files.caKey() + " private.");
        return OK;
    }

    private static int issue(Options options, PrintStream out) throws PkiException {
        PkiFiles files = new PkiFiles(options.directory);
        SubjectAltNames names = options.names.isEmpty() ? DeviceNames.collect() : SubjectAltNames.of(options.names);
        SubjectAltNames permitted = DeviceNames.collect().plus(names).plus(SubjectAltNames.of(options.permitted));
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(files, DeviceNames.hostname(), permitted,
                options.keyType, Clock.systemUTC());
        String password = options.password != null ? options.password
                : files.readKeystorePassword().orElseGet(PkiFiles::newPassword);
        ServerCertificate certificate = ServerCertificates.issue(ca, names, Duration.ofDays(options.days),
                options.keyType, Clock.systemUTC());
        certificate.writeTo(files, password, ServerCertificates.DEFAULT_ALIAS);
        printCa(ca, out);
        printServer(certificate, files, out);
        out.println();
        out.println("Import " + ca.certificatePath() + " into browsers and phones (pki/README.md). Keep "
                + files.caKey() + " private.");
        return OK;
    }

    private static int show(Options options, PrintStream out) throws PkiException {
        PkiFiles files = new PkiFiles(options.directory);
        if (!CertificateAuthority.exists(files)) {
            out.println("No CA in " + files.directory() + " yet: run 'pistream-pki ca' or 'pistream-pki issue'.");
            return FAILED;
        }
        CertificateAuthority ca = CertificateAuthority.load(files);
        printCa(ca, out);
        if (!Files.exists(files.keystore())) {
            out.println("No server certificate yet: run 'pistream-pki issue'.");
            return OK;
        }
        Optional<String> password = files.readKeystorePassword();
        if (password.isEmpty()) {
            out.println("Server certificate: " + files.keystore() + " (no keystore.password to open it)");
            return OK;
        }
        ServerCertificate certificate = ServerCertificates.load(files, password.get(),
                ServerCertificates.DEFAULT_ALIAS);
        printServer(certificate, files, out);
        ServerCertificates.renewalReason(certificate, ca, SubjectAltNames.EMPTY, Duration.ofDays(30),
                Clock.systemUTC().instant()).ifPresent(reason -> out.println("  Attention:  " + reason));
        return OK;
    }

    private static void printCa(CertificateAuthority ca, PrintStream out) {
        out.println("CA " + (ca.wasCreated() ? "(created)" : "(reused)") + ": " + ca.certificatePath());
        out.println("  Subject:    " + ca.subject());
        out.println("  Valid to:   " + ca.notAfter());
        out.println("  SHA-256:    " + ca.sha256Fingerprint());
        out.println("  Limited to: " + ca.nameConstraints().map(Object::toString).orElse("nothing: no name constraints"
                + " (made by an earlier version), so it can vouch for any site; to limit it, remove ca.crt and ca.key"
                + " and run 'pistream-pki ca', then import the new ca.crt"));
        out.println("  Key:        " + ca.files().caKey()
                + (ca.canIssue() ? " (private)" : " (not here: the CA is kept on another machine)"));
    }

    private static void printServer(ServerCertificate certificate, PkiFiles files, PrintStream out) {
        out.println("Server certificate: " + files.serverCertificate());
        out.println("  Names:      " + certificate.names());
        out.println("  Valid to:   " + certificate.notAfter());
        out.println("  Serial:     " + certificate.serialNumber().toString(16));
        out.println("  SHA-256:    " + certificate.sha256Fingerprint());
        out.println("  Key:        " + files.serverKey());
        out.println("  Keystore:   " + files.keystore() + " (PKCS12, alias " + ServerCertificates.DEFAULT_ALIAS
                + ", password in " + files.keystorePassword() + ")");
    }

    static Path defaultDirectory() {
        return Path.of(System.getProperty("pistream.pki.dir", "pki/out"));
    }

    /** The parsed command line. */
    static final class Options {
        String command = "help";
        Path directory = defaultDirectory();
        final List<String> names = new ArrayList<>();
        final List<String> permitted = new ArrayList<>();
        String password;
        int days = ServerCertificates.MAX_VALIDITY_DAYS;
        KeyType keyType = KeyType.EC_P256;

        static Options parse(String[] args) {
            Options options = new Options();
            if (args.length == 0) {
                return options;
            }
            options.command = args[0];
            if (!List.of("ca", "issue", "show", "help", "-h", "--help").contains(options.command)) {
                throw new IllegalArgumentException("unknown command '" + options.command + "'");
            }
            for (int i = 1; i < args.length; i++) {
                String option = args[i];
                String value = null;
                int equals = option.indexOf('=');
                if (option.startsWith("--") && equals > 0) {
                    value = option.substring(equals + 1);
                    option = option.substring(0, equals);
                } else if (i + 1 < args.length) {
                    value = args[i + 1];
                }
                boolean separate = equals < 0 || !args[i].startsWith("--");
                switch (option) {
                    case "--out":
                        options.directory = Path.of(require(option, value));
                        break;
                    case "--name":
                        String name = require(option, value);
                        try {
                            SubjectAltNames.of(List.of(name));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("--name: " + e.getMessage());
                        }
                        options.names.add(name);
                        break;
                    case "--ip":
                        String address = require(option, value);
                        if (SubjectAltNames.parseIpAddress(address).isEmpty()) {
                            throw new IllegalArgumentException("--ip: '" + address + "' is not an IP address");
                        }
                        options.names.add(address);
                        break;
                    case "--permit":
                        String permit = require(option, value);
                        try {
                            SubjectAltNames.of(List.of(permit));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("--permit: " + e.getMessage());
                        }
                        options.permitted.add(permit);
                        break;
                    case "--password":
                        options.password = require(option, value);
                        if (options.password.isEmpty()) {
                            throw new IllegalArgumentException("--password: must not be empty");
                        }
                        break;
                    case "--days":
                        try {
                            options.days = Integer.parseInt(require(option, value));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--days: '" + value + "' is not a number");
                        }
                        if (options.days < 1 || options.days > ServerCertificates.MAX_VALIDITY_DAYS) {
                            throw new IllegalArgumentException("--days: must be between 1 and "
                                    + ServerCertificates.MAX_VALIDITY_DAYS);
                        }
                        break;
                    case "--key-type":
                        options.keyType = KeyType.parse(require(option, value));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
                if (separate) {
                    i++;
                }
            }
            if (!options.command.equals("issue") && (!options.names.isEmpty() || options.password != null)) {
                throw new IllegalArgumentException("--name, --ip and --password belong to 'issue'");
            }
            if (!List.of("ca", "issue").contains(options.command) && !options.permitted.isEmpty()) {
                throw new IllegalArgumentException("--permit belongs to 'ca' and 'issue'");
            }
            return options;
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}
