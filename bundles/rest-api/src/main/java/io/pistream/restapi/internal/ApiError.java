package io.pistream.restapi.internal;

/**
 * A refusal the API answers as {@code {"error": ..., "field": ..., "reason": ..., "role": ...}} with a status; thrown
 * anywhere in a resource and written by {@link ErrorMapper}.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;
    private final String reason;
    private final String role;

    private ApiError(int status, String message, String field, String reason, String role) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.reason = reason;
        this.role = role;
    }

    /** 400: a field of the request is wrong; says which and why. */
    static ApiError badField(String field, String why) {
        return new ApiError(400, field + ": " + why, field, null, null);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message, null, null, null);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, message, null, null, null);
    }

    /** 503 for an area of the API whose feature is not installed or not running. */
    static ApiError needsFeature(String what, String feature) {
        return new ApiError(503, what + " need feature " + feature, null, "FEATURE_MISSING", null);
    }

    static ApiError forbidden(String role) {
        return new ApiError(403, "This needs role " + role, null, null, role);
    }

    static ApiError unauthenticated() {
        return new ApiError(401, "Log in, or send a token (Authorization: Bearer)", null, null, null);
    }

    static ApiError of(int status, String message, String reason) {
        return new ApiError(status, message, null, reason, null);
    }

    int status() {
        return status;
    }

    ErrorBody body() {
        return new ErrorBody(getMessage(), field, reason, role);
    }

    /** What a client reads; absent parts are left out. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ErrorBody(String error, String field, String reason, String role) {
    }
}
