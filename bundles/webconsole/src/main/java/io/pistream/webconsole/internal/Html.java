package io.pistream.webconsole.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Escapes what the page echoes. Everything from a request, a source, a session or an error message goes through
 * {@link #escape(String)}; the page writes no such text into its inline script at all.
 */
final class Html {

    private Html() {
    }

    /** Text for HTML element content and for attribute values in single or double quotes. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A query parameter value, percent-encoded for a URL (then {@link #escape(String) escape} the whole URL). */
    static String queryValue(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
