package io.pistream.security.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.pistream.api.security.Accounts.IssuedToken;
import io.pistream.api.security.Accounts.TokenInfo;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.api.security.Verdict;
import io.pistream.api.security.Verdict.Reason;

/**
 * Tokens for programs: JWTs signed with HS256 under a key of the device's own ({@code etc/pistream-token.key}), each
 * with an id listed in {@code etc/pistream-tokens.properties} so that it can be listed and revoked. A token whose
 * id is not in the list is refused, so deleting the list revokes every token.
 */
final class TokenBook {

    static final String ISSUER = "pistream";
    private static final String ROLES_CLAIM = "roles";
    private static final Duration LONGEST = Duration.ofDays(3650);

    private final Path keyFile;
    private final Path registryFile;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, TokenInfo> registry = new LinkedHashMap<>();
    private byte[] key;

    TokenBook(Path keyFile, Path registryFile, Clock clock) throws IOException {
        this.keyFile = keyFile;
        this.registryFile = registryFile;
        this.clock = clock;
        loadKey();
        loadRegistry();
    }

    synchronized IssuedToken issue(String label, Set<Role> roles, Duration lifetime) {
        if (!Names.isValidLabel(label)) {
            throw new IllegalArgumentException("A token label is 1 to 64 letters, digits, '.', '_', '@' or '-': " + label);
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("A token needs at least one role (viewer, talk, admin)");
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("A token lives between 1 second and 3650 days, not " + lifetime);
        }
        Instant issued = clock.instant();
        Instant expires = issued.plus(lifetime);
        String id = randomId();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .jwtID(id)
                .subject(label)
                .claim(ROLES_CLAIM, roles.stream().map(Role::id).sorted().toList())
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token: " + e.getMessage(), e);
        }
        registry.put(id, new TokenInfo(id, label, EnumSet.copyOf(roles), issued, expires, false));
        saveRegistry();
        return new IssuedToken(id, jwt.serialize(), expires);
    }

    /** Null if the string is not shaped like a JWT at all (then it may be another kind of secret). */
    synchronized Verdict check(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException notAJwt) {
            return null;
        }
        try {
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(key))) {
                return new Verdict.Refused(Reason.INVALID, "The token is not one of this device's");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            TokenInfo info = registry.get(claims.getJWTID());
            if (!ISSUER.equals(claims.getIssuer()) || info == null) {
                return new Verdict.Refused(Reason.INVALID, "The token is not one of this device's");
            }
            if (info.revoked()) {
                return new Verdict.Refused(Reason.REVOKED, "The token was revoked");
            }
            if (!clock.instant().isBefore(info.expires())) {
                return new Verdict.Refused(Reason.EXPIRED, "The token expired at " + info.expires());
            }
            return new Verdict.Allowed(new Caller(info.label(), info.roles(), "token"));
        } catch (JOSEException | ParseException e) {
            return new Verdict.Refused(Reason.INVALID, "The token is not one of this device's");
        }
    }

    synchronized List<TokenInfo> list() {
        dropExpired();
        List<TokenInfo> tokens = new ArrayList<>(registry.values());
        tokens.sort(Comparator.comparing(TokenInfo::issued));
        return tokens;
    }

    synchronized boolean revoke(String id) {
        TokenInfo info = registry.get(id);
        if (info == null) {
            return false;
        }
        registry.put(id, new TokenInfo(id, info.label(), info.roles(), info.issued(), info.expires(), true));
        saveRegistry();
        return true;
    }

    private void dropExpired() {
        Instant now = clock.instant();
        if (registry.values().removeIf(info -> !now.isBefore(info.expires()))) {
            saveRegistry();
        }
    }

    private String randomId() {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void loadKey() throws IOException {
        if (Files.isRegularFile(keyFile)) {
            byte[] stored = Base64.getDecoder().decode(Files.readString(keyFile).trim());
            if (stored.length >= 32) {
                key = stored;
                return;
            }
        }
        key = new byte[32];
        random.nextBytes(key);
        OwnerOnlyFiles.write(keyFile, Base64.getEncoder().encodeToString(key) + "\n");
    }

    private void loadRegistry() throws IOException {
        if (!Files.isRegularFile(registryFile)) {
            return;
        }
        Properties stored = new Properties();
        stored.load(new StringReader(Files.readString(registryFile)));
        for (String id : stored.stringPropertyNames()) {
            String[] fields = stored.getProperty(id).split(";", -1);
            if (fields.length != 5) {
                continue;
            }
            try {
                Set<Role> roles = EnumSet.noneOf(Role.class);
                for (String role : fields[1].split(",")) {
                    Role.of(role).ifPresent(roles::add);
                }
                registry.put(id, new TokenInfo(id, fields[0], roles, Instant.ofEpochSecond(Long.parseLong(fields[2])),
                        Instant.ofEpochSecond(Long.parseLong(fields[3])), "revoked".equals(fields[4])));
            } catch (NumberFormatException skipped) {
                // a hand-edited line that no longer parses: its token stops working
            }
        }
    }

    private void saveRegistry() {
        Properties stored = new Properties();
        for (TokenInfo info : registry.values()) {
            stored.setProperty(info.id(), String.join(";", info.label(),
                    info.roles().stream().map(Role::id).sorted().collect(Collectors.joining(",")),
                    Long.toString(info.issued().getEpochSecond()), Long.toString(info.expires().getEpochSecond()),
                    info.revoked() ? "revoked" : "valid"));
        }
        StringWriter text = new StringWriter();
        try {
            stored.store(text, "pistream tokens: id = label;roles;issued;expires;state (signatures are not kept)");
            OwnerOnlyFiles.write(registryFile, text.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Could not write " + registryFile + ": " + e.getMessage(), e);
        }
    }
}
