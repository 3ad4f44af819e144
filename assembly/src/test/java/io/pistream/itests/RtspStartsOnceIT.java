package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.osgi.service.cm.ConfigurationAdmin;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.KarafDistributionConfigurationFileOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The first start of the RTSP server, as on a new device: no etc/io.pistream.rtsp.cfg yet, the rtsp feature writes
 * it and starts its bundles, the file installer reads it; then the server's and the camera mount's configurations
 * are delivered again, unchanged, as Configuration Admin does when anyone updates them with the same values. The
 * server listens once, and a player asking for /camera from the first moment never gets a 404 or a refused
 * connection once it got 200.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RtspStartsOnceIT extends PistreamTestSupport {

    /** The port, chosen in the JVM that configures the container, read back in the container from the file. */
    private static String port;

    private final FeaturesService features = liveFeatures();

    @Inject
    private ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() {
        // the feature's own configuration file (system/), edited for free ports, not a file in etc/ before the start
        String archive = Path.of(System.getProperty("pistream.distribution")).getFileName().toString();
        String version = archive.substring("pistream-".length(), archive.length() - ".tar.gz".length());
        String shipped = "system/io/pistream/io.pistream.rtsp/" + version + "/io.pistream.rtsp-" + version + ".cfg";
        List<Option> options = new ArrayList<>();
        // the file installer reads etc/ every 5 s instead of every second: the rtsp bundle surely starts before it
        // has read the configuration file the feature wrote, as it sometimes does on a device
        for (Option option : distribution(editConfigurationFilePut("etc/config.properties", "felix.fileinstall.poll",
                "5000"), editConfigurationFilePut(shipped, "port", freePort()),
                editConfigurationFilePut(shipped, "tls.port", freePort()),
                editConfigurationFilePut(shipped, "address", "127.0.0.1"))) {
            if (!(option instanceof KarafDistributionConfigurationFileOption file
                    && file.getConfigurationFilePath().equals("etc/io.pistream.rtsp.cfg"))) {
                options.add(option);
            }
        }
        return options.toArray(new Option[0]);
    }

    @Test
    public void theServerListensOnceAndTheCameraStaysServedWhenItsConfigurationComesAgain() throws Exception {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        assertTrue("no RTSP configuration before the feature", !Files.exists(etc.resolve("io.pistream.rtsp.cfg")));
        port = shippedPort();
        List<String> answers = new CopyOnWriteArrayList<>();
        Thread player = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                answers.add(describe("/camera"));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rtsp-player");
        player.start();
        try {
            features.installFeature("camera", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            features.installFeature("rtsp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            awaitTrue(() -> answers.contains("200"), 60_000, "DESCRIBE /camera is answered 200");
            int firstServed = answers.indexOf("200");
            // give a configuration event of the file installer's own time to come
            Thread.sleep(6_000);
            for (String filter : List.of("(service.pid=io.pistream.rtsp)",
                    "(service.factoryPid=io.pistream.rtsp.mount)")) {
                for (org.osgi.service.cm.Configuration configuration : configurations.listConfigurations(filter)) {
                    configuration.update(configuration.getProperties());
                }
            }
            Thread.sleep(5_000);
            List<String> after = new ArrayList<>(answers.subList(firstServed, answers.size()));
            List<String> notServed = after.stream().filter(answer -> !answer.equals("200")).distinct().toList();
            assertTrue("once served, /camera stays served (" + after.size() + " answers since): " + notServed,
                    notServed.isEmpty());
        } finally {
            player.interrupt();
            player.join(5_000);
        }
        String log = read();
        // on any port: started without its configuration, it listened on the built-in 0.0.0.0:8554
        assertEquals("RTSP server started once: " + lines(log, "RTSP server"), 1,
                linesWith(log, "RTSP server listening on "));
        assertEquals("on its configured address", 1,
                linesWith(log, "RTSP server listening on 127.0.0.1 port " + port + " "));
        assertEquals("and never stopped: " + lines(log, "RTSP server"), 0, linesWith(log, "RTSP server on port "));

        // a real change restarts the server once, and the camera's mount comes back without being configured again
        org.osgi.service.cm.Configuration server = configurations.getConfiguration("io.pistream.rtsp", null);
        java.util.Dictionary<String, Object> changed = server.getProperties();
        changed.put("max.players", "19");
        server.update(changed);
        awaitTrue(() -> linesWith(read(), "at most 19 players") == 1, 30_000, "the server restarted with 19 players");
        awaitTrue(() -> describe("/camera").equals("200"), 30_000, "/camera is served by the restarted server");
        assertEquals("stopped once: " + lines(read(), "RTSP server"), 1,
                linesWith(read(), "RTSP server on port " + port + " stopped"));
    }

    private static String read() {
        try {
            return Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The port of the feature's configuration file, in the distribution's system/ folder. */
    private static String shippedPort() throws IOException {
        Path versions = Path.of(System.getProperty("karaf.home"), "system", "io", "pistream", "io.pistream.rtsp");
        try (var files = Files.walk(versions)) {
            Path shipped = files.filter(file -> file.getFileName().toString()
                    .matches("io\\.pistream\\.rtsp-[^-]+(-SNAPSHOT)?\\.cfg")).findFirst()
                    .orElseThrow(() -> new AssertionError("no io.pistream.rtsp-*.cfg in " + versions));
            java.util.Properties properties = new java.util.Properties();
            try (var in = Files.newInputStream(shipped)) {
                properties.load(in);
            }
            return properties.getProperty("port").trim();
        }
    }

    private static List<String> lines(String log, String containing) {
        return log.lines().filter(line -> line.contains(containing)).toList();
    }

    /**
     * The status code of a DESCRIBE as a player sends it, logged in as the viewer (Digest, as challenged), or
     * "refused" when nothing listens.
     */
    private static String describe(String path) {
        String uri = "rtsp://127.0.0.1:" + port + path;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 2_000);
            socket.setSoTimeout(5_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            List<String> challenge = request(socket.getOutputStream(), in, uri, 1, null);
            String status = challenge.get(0);
            if (!status.equals("401")) {
                return status;
            }
            String header = challenge.stream().skip(1).filter(h -> h.startsWith("Digest ")).findFirst()
                    .orElse("");
            String realm = parameter(header, "realm");
            String nonce = parameter(header, "nonce");
            String response = md5Hex(md5Hex(VIEWER + ":" + realm + ":" + TEST_PASSWORD) + ":" + nonce + ":"
                    + md5Hex("DESCRIBE:" + uri));
            return request(socket.getOutputStream(), in, uri, 2, "Digest username=\"" + VIEWER + "\", realm=\""
                    + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\"" + response + "\"")
                    .get(0);
        } catch (java.net.ConnectException e) {
            return "refused";
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** Sends a DESCRIBE; returns the status code followed by the WWW-Authenticate values, reading the body away. */
    private static List<String> request(OutputStream out, BufferedReader in, String uri, int sequence,
            String authorization) throws IOException {
        out.write(("DESCRIBE " + uri + " RTSP/1.0\r\nCSeq: " + sequence + "\r\nAccept: application/sdp\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = in.readLine();
        if (statusLine == null) {
            throw new IOException("the server closed the connection");
        }
        List<String> result = new ArrayList<>(List.of(statusLine.split(" ")[1]));
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon).trim();
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("WWW-Authenticate")) {
                result.add(value);
            } else if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
        return result;
    }

    private static String parameter(String header, String name) {
        Matcher matcher = Pattern.compile(name + "=\"([^\"]*)\"").matcher(header);
        return matcher.find() ? matcher.group(1) : "";
    }

}
