package io.pistream.pki.internal;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.pki.SubjectAltNames;

/** The checked configuration; every refusal names its key. */
record PkiSettings(Path directory, String keystorePassword, SubjectAltNames extraNames, int renewDays,
        int checkIntervalMinutes, boolean updatePaxWeb) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    static PkiSettings from(PkiConfig config) {
        return of(config.directory(), config.keystore_password(), config.extra_names(), config.renew_days(),
                config.check_interval_minutes(), config.update_pax_web(), System::getProperty);
    }

    /**
     * @param properties system properties, for {@code ${karaf.etc}} and the like in {@code directory}
     * @throws IllegalArgumentException naming the key of the first bad value
     */
    static PkiSettings of(String directory, String keystorePassword, String extraNames, int renewDays,
            int checkIntervalMinutes, boolean updatePaxWeb, UnaryOperator<String> properties) {
        Path path = resolveDirectory(directory, properties);
        SubjectAltNames extra;
        try {
            extra = SubjectAltNames.parse(extraNames);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("extra.names: " + e.getMessage(), e);
        }
        if (renewDays < 1 || renewDays > 180) {
            throw new IllegalArgumentException("renew.days: must be between 1 and 180, not " + renewDays);
        }
        if (checkIntervalMinutes < 0 || checkIntervalMinutes > 10080) {
            throw new IllegalArgumentException("check.interval.minutes: must be between 0 and 10080, not "
                    + checkIntervalMinutes);
        }
        String password = keystorePassword == null ? "" : keystorePassword;
        if (!password.equals(password.strip())) {
            throw new IllegalArgumentException("keystore.password: must not start or end with white space");
        }
        return new PkiSettings(path, password, extra, renewDays, checkIntervalMinutes, updatePaxWeb);
    }

    private static Path resolveDirectory(String directory, UnaryOperator<String> properties) {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException("directory: must not be empty");
        }
        Matcher matcher = PLACEHOLDER.matcher(directory.strip());
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = properties.apply(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("directory: " + matcher.group() + " is not set (in '" + directory
                        + "')");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        Path path;
        try {
            path = Path.of(resolved.toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("directory: '" + resolved + "' is not a path", e);
        }
        if (!path.isAbsolute()) {
            String base = properties.apply("karaf.base");
            if (base != null) {
                path = Path.of(base).resolve(path);
            }
        }
        return path.toAbsolutePath().normalize();
    }

    @Override
    public String toString() { // never the password
        return "PkiSettings[directory=" + directory + ", keystorePassword=" + (keystorePassword.isEmpty() ? "" : "***")
                + ", extraNames=" + extraNames + ", renewDays=" + renewDays + ", checkIntervalMinutes="
                + checkIntervalMinutes + ", updatePaxWeb=" + updatePaxWeb + "]";
    }
}
