package io.pistream.webconsole.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

/**
 * The random token every form of the page carries, one per HTTP session. A browser sends the console's login (HTTP
 * Basic credentials or a cookie) with every request to the device, also with a post another site makes it send; such
 * a post cannot know the token, so it is refused (cross-site request forgery).
 */
final class FormToken {

    /** The form field, and request parameter, that carries the token. */
    static final String PARAMETER = "pistream-token";

    static final String SESSION_ATTRIBUTE = FormToken.class.getName();

    private static final SecureRandom RANDOM = new SecureRandom();

    private FormToken() {
    }

    /** The token of the request's session; the session and its token are made on first use. */
    static String of(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        // two first requests of one session at once must not each make a token: one of their pages would fail
        synchronized (FormToken.class) {
            Object token = session.getAttribute(SESSION_ATTRIBUTE);
            if (token instanceof String existing) {
                return existing;
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String created = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.setAttribute(SESSION_ATTRIBUTE, created);
            return created;
        }
    }

    /** Whether the request carries its session's token; never true without a session. */
    static boolean isValid(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return false;
        }
        Object expected = session.getAttribute(SESSION_ATTRIBUTE);
        String given = request.getParameter(PARAMETER);
        if (!(expected instanceof String token) || given == null) {
            return false;
        }
        // constant time, so that response times do not reveal how much of a guess was right
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.UTF_8));
    }
}
