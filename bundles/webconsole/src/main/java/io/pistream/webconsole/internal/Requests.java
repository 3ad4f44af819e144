package io.pistream.webconsole.internal;

import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;

/** The parameters the page's forms send, checked before use. */
final class Requests {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private Requests() {
    }

    /** Whether {@code value} is a source or recording id. */
    static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** A source or recording id parameter. */
    static String id(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (!isId(value)) {
            throw new IllegalArgumentException("invalid " + name + " '" + value + "'");
        }
        return value;
    }

    /** The {@code session} parameter: a WebRTC session id. */
    static String session(HttpServletRequest request) {
        String session = request.getParameter("session");
        if (session == null || !SESSION.matcher(session).matches()) {
            throw new IllegalArgumentException("invalid session '" + session + "'");
        }
        return session;
    }
}
