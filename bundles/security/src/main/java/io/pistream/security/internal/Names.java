package io.pistream.security.internal;

import java.util.regex.Pattern;

/** What user names and token labels may look like: safe in the users file, logs, URLs and the signalling meta. */
public final class Names {

    private static final Pattern USER = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private Names() {
    }

    public static boolean isValidUser(String name) {
        return name != null && USER.matcher(name).matches();
    }

    static boolean isValidLabel(String label) {
        return label != null && LABEL.matcher(label).matches();
    }

    static String checkUser(String name) {
        if (!isValidUser(name)) {
            throw new IllegalArgumentException("A user name is 1 to 32 lower-case letters, digits, '.', '_' or '-', "
                    + "starting with a letter: '" + name + "'");
        }
        return name;
    }
}
