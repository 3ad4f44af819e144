package io.pistream.webauth;

import java.util.Optional;

import javax.servlet.http.HttpServletRequest;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who sent an HTTP request, for the servlets of the device's connector. The door's filter normally decides before a
 * servlet runs and leaves the caller in {@link AccessControl#CALLER_ATTRIBUTE}. But Pax Web empties a context's
 * filter chain and fills it again whenever a filter comes or goes (a component restarted, a feature installed), and
 * the requests of that moment reach the servlets with no filter at all: for them the door decides here, as its
 * filter would have, so that a caller with good credentials is not told they are wrong.
 */
@ProviderType
public interface WebDoor {

    /**
     * The caller the door admits for this request, also left in {@link AccessControl#CALLER_ATTRIBUTE} for the rest
     * of the request; empty when the door refuses it (no credentials, wrong ones, a foreign origin, too many failed
     * logins) or let it through only because its path is public.
     */
    Optional<Caller> callerOf(HttpServletRequest request);
}
