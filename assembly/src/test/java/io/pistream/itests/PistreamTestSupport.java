package io.pistream.itests;

import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the pistream distribution built by this module (target/pistream-*.tar.gz) with free ports, short
 * timeouts and the JVM flags Karaf needs on Java 17.
 */
public abstract class PistreamTestSupport {

    static {
        ContainerWatchdog.startInTestJvm();
    }

    /** Tests start once the boot features are installed, so that their own feature changes are not undone. */
    @javax.inject.Inject
    @org.ops4j.pax.exam.util.Filter(timeout = 120_000)
    protected org.apache.karaf.features.BootFinished bootFinished;

    private static ServiceTracker<FeaturesService, FeaturesService> featuresTracker;

    /** The password of the test users below, written in clear into etc/users.properties: pistream hashes it at boot. */
    protected static final String TEST_PASSWORD = "test-password-1";
    /** Users of the containers under test, one per role set: admin (everything), viewer, talker (viewer and talk). */
    protected static final String ADMIN = "admin";
    protected static final String VIEWER = "viewer";
    protected static final String TALKER = "talker";

    /** An RTSP URL (rtsp or rtsps) on 127.0.0.1 with a test user's credentials, as players take them. */
    protected static String rtspUrl(String scheme, String user, String port, String path) {
        return scheme + "://" + user + ":" + TEST_PASSWORD + "@127.0.0.1:" + port.trim() + path;
    }

    /**
     * The features service, looked up again at every call, as the shell's feature commands do. Karaf's features core
     * can replace its service after the boot features are in: a reference injected at the start of a test then fails
     * every call ("rejected from ... [Terminated]", seen once in CI). A call that meets a stopped service is made
     * again on the one registered next.
     */
    protected static FeaturesService liveFeatures() {
        return (FeaturesService) Proxy.newProxyInstance(PistreamTestSupport.class.getClassLoader(),
                new Class<?>[] {FeaturesService.class}, (proxy, method, arguments) -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (true) {
                        FeaturesService current = featuresTracker().waitForService(
                                Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                        if (current == null) {
                            throw new IllegalStateException("no features service registered within 60 s");
                        }
                        try {
                            return method.invoke(current, arguments);
                        } catch (InvocationTargetException e) {
                            if (!(e.getCause() instanceof RejectedExecutionException) || System.nanoTime() > deadline) {
                                throw e.getCause();
                            }
                            Thread.sleep(200);
                        }
                    }
                });
    }

    /** Follows the features service as Karaf registers it again; opened on first use, inside the container. */
    private static synchronized ServiceTracker<FeaturesService, FeaturesService> featuresTracker() {
        if (featuresTracker == null) {
            featuresTracker = new ServiceTracker<>(
                    FrameworkUtil.getBundle(PistreamTestSupport.class).getBundleContext(), FeaturesService.class, null);
            featuresTracker.open();
        }
        return featuresTracker;
    }

    /** The installed bundle of that symbolic name; fails the test when there is none. */
    protected static org.osgi.framework.Bundle bundleNamed(String symbolicName) {
        return java.util.Arrays.stream(FrameworkUtil.getBundle(PistreamTestSupport.class).getBundleContext()
                .getBundles()).filter(bundle -> symbolicName.equals(bundle.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /**
     * The HTTPS port the container's web server was configured with, as Configuration Admin holds it: the file in
     * etc/ can be read half-written while the file installer saves it back.
     */
    protected static int httpsPort() throws Exception {
        org.osgi.framework.BundleContext context = org.osgi.framework.FrameworkUtil
                .getBundle(PistreamTestSupport.class).getBundleContext();
        org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin> reference = context
                .getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.ConfigurationAdmin configurations = context.getService(reference);
        try {
            Object[] port = new Object[1];
            awaitTrue(() -> {
                try {
                    org.osgi.service.cm.Configuration[] found = configurations
                            .listConfigurations("(service.pid=org.ops4j.pax.web)");
                    port[0] = found == null || found[0].getProperties() == null ? null
                            : found[0].getProperties().get("org.osgi.service.http.port.secure");
                    return port[0] != null;
                } catch (Exception e) {
                    return false;
                }
            }, 60_000, "the web server's configuration holds its HTTPS port");
            return Integer.parseInt(port[0].toString().trim());
        } finally {
            context.ungetService(reference);
        }
    }

    /** An Authorization header value for a test user: Basic, which the device accepts over HTTPS only. */
    protected static String basic(String user) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + TEST_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** A process started with a test user's credentials in the environment, as the browser tests read them. */
    protected static ProcessBuilder withCredentials(ProcessBuilder process, String user) {
        process.environment().put("PISTREAM_USER", user);
        process.environment().put("PISTREAM_PASSWORD", TEST_PASSWORD);
        return process;
    }

    protected static Option[] distribution(Option... extra) {
        String archive = System.getProperty("pistream.distribution");
        String karafVersion = System.getProperty("karaf.version");
        String examRepositoryPath = System.getProperty("pistream.exam.repository");
        if (archive == null || karafVersion == null || examRepositoryPath == null) {
            throw new IllegalStateException(
                    "Run through Maven: pistream.distribution, pistream.exam.repository and karaf.version must be set");
        }
        File examRepository = new File(examRepositoryPath);
        if (!new File(examRepository, "org/ops4j/pax/exam").isDirectory()) {
            throw new IllegalStateException("No Pax Exam bundles in " + examRepository
                    + ": the build's exam-repository step (assembly/pom.xml) did not run");
        }
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(archive).toURI().toString())
                        .name("pistream")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                systemTimeout(120_000),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                // everything a container installs comes from the distribution's system/ folder and from the
                // exam repository the build fills with Pax Exam's own feature: never from the developer's local
                // Maven repository (what an earlier run left there would hide a missing build step) and never
                // from a remote one (a container under test stays on loopback)
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                                + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots, "
                                + examRepository.toURI() + "@id=exam.repository"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        "${karaf.data}/repository"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
                // RTSPS on a port of the test's own: 8322 may be taken by a parallel run
                editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "tls.port", freePort()),
                editConfigurationFilePut("etc/users.properties", ADMIN, TEST_PASSWORD + ",_g_:admingroup,talk"),
                editConfigurationFilePut("etc/users.properties", VIEWER, TEST_PASSWORD + ",viewer"),
                editConfigurationFilePut("etc/users.properties", TALKER, TEST_PASSWORD + ",viewer,talk"),
                new VMOption("-Djna.nosys=true"),
                new VMOption("--add-reads=java.xml=java.logging"),
                new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
                new VMOption("--patch-module"),
                new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar"),
                new VMOption("--patch-module"),
                new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar"),
                new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
                new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
                new VMOption("-classpath"),
                new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*")));
        options.addAll(List.of(extra));
        return options.toArray(new Option[0]);
    }

    /** Runs a Karaf shell command (no pipes: they overflow gogo's stream) and returns what it printed. */
    protected static String execute(SessionFactory sessions, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session session = sessions.create(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            if (result != null) {
                print.println(result);
            }
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Waits for a condition, failing with {@code what} after the timeout. */
    protected static void awaitTrue(java.util.function.BooleanSupplier condition, long timeoutMillis, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeoutMillis + " ms waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A TLS context that trusts only the given CA certificate (the device's own, from etc/pki/ca.crt). */
    protected static SSLContext trusting(Path caCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            trust.setCertificateEntry("pistream-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * A port that is free now, below Linux's ephemeral range (32768-60999): the container binds it tens of seconds
     * later, and a port from that range (what binding port 0 gives) may meanwhile be taken by any outgoing
     * connection of the machine; one below it is only ever taken by a program that asks for it by number.
     */
    protected static String freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20_000 + RANDOM.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(candidate)) {
                return Integer.toString(socket.getLocalPort());
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("No free port between 20000 and 32000");
    }

    private static final java.util.Random RANDOM = new java.util.Random();

    /** How many lines of {@code text} (a log) contain {@code part}. */
    protected static long linesWith(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    /** The lower-case hex MD5 of {@code text}: RTSP Digest's hashes (RFC 2617) and the device's Digest secrets. */
    protected static String md5Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A whole number of a JSON text, found by its key; -1 when absent. */
    protected static int number(String json, String key) {
        var matcher = java.util.regex.Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** The recordings (Matroska or MP4) below a directory, none while it does not exist. */
    protected static List<Path> recordingFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".mkv")
                    || f.toString().endsWith(".mp4")).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    /** ffprobe's streams of a file as JSON, or the error that stopped it. */
    protected static String ffprobe(Path file) {
        try {
            Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-of", "json",
                    file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            probe.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return e.toString();
        }
    }
}
