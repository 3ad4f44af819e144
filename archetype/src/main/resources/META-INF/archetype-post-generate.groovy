// Runs after generation. Karaf reads a file etc/PID-NAME.cfg as factory PID and NAME split at the first '-', so a
// configPid with a '-' (or anything but a dotted Java-like name) would never configure the source: refuse it and
// remove the project just made, since batch mode does not apply the descriptor's validationRegex.
def pid = request.properties.getProperty('configPid')
if (!(pid ==~ /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/)) {
    new File(request.outputDirectory, request.artifactId).deleteDir()
    throw new IllegalArgumentException("configPid '" + pid + "' cannot be a configuration PID: use letters, digits, "
            + "'_' and '.', no '-' (e.g. -DconfigPid=com.example.lobby)")
}
