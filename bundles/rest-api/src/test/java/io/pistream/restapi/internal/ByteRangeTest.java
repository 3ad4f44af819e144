package io.pistream.restapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void rangesOfATenByteFile() {
        assertEquals(new ByteRange.Slice(0, 3), ByteRange.parse("bytes=0-3", 10));
        assertEquals(new ByteRange.Slice(4, 9), ByteRange.parse("bytes=4-", 10));
        assertEquals(new ByteRange.Slice(7, 9), ByteRange.parse("bytes=-3", 10));
        assertEquals(new ByteRange.Slice(0, 9), ByteRange.parse("bytes=-30", 10));
        assertEquals(new ByteRange.Slice(5, 9), ByteRange.parse("bytes=5-100", 10));
    }

    @Test
    void outsideTheFileIsUnsatisfiable() {
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=10-", 10));
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=5-2", 10));
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-0", 10));
    }

    @Test
    void whatIsNotOneByteRangeMeansTheWholeFile() {
        assertNull(ByteRange.parse(null, 10));
        assertNull(ByteRange.parse("items=0-3", 10));
        assertNull(ByteRange.parse("bytes=0-1,4-5", 10));
        assertNull(ByteRange.parse("bytes=a-b", 10));
    }
}
