package io.pistream.signalling.internal.router;

/** Sizes of text as it goes over the wire, without encoding it. */
public final class Utf8 {

    private Utf8() {
    }

    /** The number of bytes of {@code text} in UTF-8; an unpaired surrogate counts 3, at most what it becomes. */
    public static int length(CharSequence text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
