package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The logging configuration the distribution ships (read from the archive a user unpacks): every appender that
 * writes a file rolls over at no more than 10 MB and keeps no more than 5 old files, so that months of running
 * cannot fill an SD card.
 */
public class LogRotationIT {

    private static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    private static final int MAX_OLD_FILES = 5;

    private static Properties logging;

    @BeforeClass
    public static void readShippedConfiguration() throws Exception {
        Path archive = Path.of(System.getProperty("pistream.distribution"));
        Path out = Files.createTempFile("pistream-logging", ".cfg");
        try {
            Process tar = new ProcessBuilder("tar", "-xzOf", archive.toString(), "--wildcards",
                    "*/etc/org.ops4j.pax.logging.cfg").redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertTrue("tar ended in time", tar.waitFor(60, TimeUnit.SECONDS));
            assertEquals("etc/org.ops4j.pax.logging.cfg is in " + archive, 0, tar.exitValue());
            logging = new Properties();
            logging.load(new StringReader(Files.readString(out, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    public void everyFileAppenderIsBoundedInSizeAndCount() {
        Set<String> fileAppenders = new TreeSet<>();
        for (String key : logging.stringPropertyNames()) {
            Matcher matcher = Pattern.compile("log4j2\\.appender\\.([^.]+)\\.fileName").matcher(key);
            if (matcher.matches()) {
                fileAppenders.add(matcher.group(1));
            }
        }
        assertTrue("karaf.log and security.log are written by file appenders: " + fileAppenders,
                fileAppenders.containsAll(Set.of("rolling", "audit")));
        for (String appender : fileAppenders) {
            String prefix = "log4j2.appender." + appender + ".";
            String type = logging.getProperty(prefix + "type");
            assertTrue(appender + " rolls over: " + type, type.startsWith("Rolling"));
            assertEquals(appender + " rolls over by size", "SizeBasedTriggeringPolicy",
                    logging.getProperty(prefix + "policies.size.type"));
            long size = bytes(logging.getProperty(prefix + "policies.size.size"));
            assertTrue(appender + " rolls over at " + size + " bytes", size > 0 && size <= MAX_FILE_BYTES);
            // without a strategy, Log4j keeps 7 old files
            assertEquals(appender + " says how many old files it keeps", "DefaultRolloverStrategy",
                    logging.getProperty(prefix + "strategy.type"));
            int kept = Integer.parseInt(logging.getProperty(prefix + "strategy.max").trim());
            assertTrue(appender + " keeps " + kept + " old files", kept >= 1 && kept <= MAX_OLD_FILES);
        }
    }

    /** Log4j's size syntax: a number and an optional KB, MB or GB. */
    private static long bytes(String size) {
        Matcher matcher = Pattern.compile("(\\d+)\\s*(KB|MB|GB)?", Pattern.CASE_INSENSITIVE).matcher(size.trim());
        assertTrue("a size: " + size, matcher.matches());
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "" : matcher.group(2).toUpperCase();
        return switch (unit) {
            case "KB" -> number * 1024;
            case "MB" -> number * 1024 * 1024;
            case "GB" -> number * 1024 * 1024 * 1024;
            default -> number;
        };
    }
}
