package io.pistream.restapi.internal;

/**
 * The one byte range of a {@code Range: bytes=} header (RFC 9110 14.1.2): {@code first-last}, {@code first-} or
 * {@code -suffix}. Several ranges are served as the whole file, which the RFC allows; other units are ignored.
 */
final class ByteRange {

    /** Inclusive byte positions. */
    record Slice(long first, long last) {
    }

    static final Slice UNSATISFIABLE = new Slice(-1, -1);

    private ByteRange() {
    }

    /** {@code null} for the whole file, {@link #UNSATISFIABLE} for 416, else the slice. */
    static Slice parse(String header, long length) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
            return null;
        }
        String spec = value.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String from = spec.substring(0, dash).trim();
            String to = spec.substring(dash + 1).trim();
            if (from.isEmpty()) {
                long suffix = Long.parseLong(to);
                if (suffix <= 0 || length == 0) {
                    return UNSATISFIABLE;
                }
                return new Slice(Math.max(0, length - suffix), length - 1);
            }
            long first = Long.parseLong(from);
            long last = to.isEmpty() ? length - 1 : Math.min(Long.parseLong(to), length - 1);
            if (first < 0 || first >= length || (!to.isEmpty() && Long.parseLong(to) < first)) {
                return UNSATISFIABLE;
            }
            return new Slice(first, last);
        } catch (NumberFormatException e) {
            // a malformed Range is ignored (RFC 9110): the whole file
            return null;
        }
    }
}
