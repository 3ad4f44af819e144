package io.pistream.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MemoryBreakdownTest {

    private static final String SERIAL_HEAP_INFO = """
            24668:
             def new generation   total 7424K, used 5301K [0x00000000f6000000, 0x00000000f6800000, 0x00000000f6800000)
              eden space 6656K,  71% used [0x00000000f6000000, 0x00000000f6652a48, 0x00000000f6680000)
             tenured generation   total 42440K, used 40209K [0x00000000f6800000, 0x00000000f9172000, 0x0000000100000000)
               the space 42440K,  94% used [0x00000000f6800000, 0x00000000f8f44430, 0x00000000f8f44600, 0x00000000f9172000)
             Metaspace       used 60559K, committed 62400K, reserved 278528K
              class space    used 7850K, committed 8768K, reserved 212992K
            """;

    private static final String G1_HEAP_INFO = """
            27688:
             garbage-first heap   total 397312K, used 4675K [0x0000000687400000, 0x0000000800000000)
              region size 4096K, 1 young (4096K), 0 survivors (0K)
             Metaspace       used 73K, committed 320K, reserved 1114112K
              class space    used 3K, committed 128K, reserved 1048576K
            """;

    @Test
    void theHeapIsTheSumOfItsGenerationsAndTheMetaspaceIncludesItsClassSpace() {
        assertEquals((7424 + 42440) / 1024.0, MemoryBreakdown.heapCommittedMiB(SERIAL_HEAP_INFO), 1e-9);
        assertEquals(62400 / 1024.0, MemoryBreakdown.metaspaceCommittedMiB(SERIAL_HEAP_INFO), 1e-9);
        assertEquals(397312 / 1024.0, MemoryBreakdown.heapCommittedMiB(G1_HEAP_INFO), 1e-9);
        assertEquals(320 / 1024.0, MemoryBreakdown.metaspaceCommittedMiB(G1_HEAP_INFO), 1e-9);
    }

    @Test
    void theCodeCacheCountsWhatIsUsedNotTheMostEverUsed() {
        assertEquals(1640 / 1024.0, MemoryBreakdown.codeCacheUsedMiB("""
                CodeCache: size=32768Kb used=1640Kb max_used=9999Kb free=31127Kb
                 bounds [0x00007f4304c00000, 0x00007f4304e70000, 0x00007f4306c00000]
                """), 1e-9);
        assertEquals((1 + 3 + 1031) / 1024.0, MemoryBreakdown.codeCacheUsedMiB("""
                CodeHeap 'non-profiled nmethods': size=120036Kb used=1Kb max_used=1Kb free=120034Kb
                CodeHeap 'profiled nmethods': size=120032Kb used=3Kb max_used=3Kb free=120028Kb
                CodeHeap 'non-nmethods': size=5692Kb used=1031Kb max_used=1045Kb free=4660Kb
                """), 1e-9);
    }

    @Test
    void eachMappingCountsForItsKind() {
        Map<String, Double> resident = MemoryBreakdown.residentByKind(List.of(
                "00400000-00401000 r-xp 00000000 08:01 123 /usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                "Rss:                 4 kB",
                "7f00-7f10 rw-p 00000000 00:00 0 ",
                "Rss:              2048 kB",
                "Anonymous:        2048 kB",
                "7f10-7f20 rw-p 00000000 00:00 0                          [heap]",
                "Rss:              1024 kB",
                "7f20-7f30 r-xp 00000000 08:01 456    /usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstx264.so",
                "Rss:               512 kB",
                "7f30-7f40 r--p 00000000 08:01 789    /usr/lib/jvm/java-17-openjdk-amd64/lib/server/classes.jsa",
                "Rss:               256 kB",
                "7f40-7f50 r-xp 00000000 08:01 790    /usr/lib/x86_64-linux-gnu/libx264.so.164",
                "Rss:               128 kB",
                "7f50-7f60 rw-p 00000000 00:00 0                          [stack]",
                "Rss:                64 kB",
                "7f60-7f70 r--s 00000000 00:1f 791    /tmp/hsperfdata_root/24668",
                "Rss:                32 kB"));

        assertEquals(2 + 64 / 1024.0, resident.get(MemoryBreakdown.ANONYMOUS), 1e-9);
        assertEquals(1.0, resident.get(MemoryBreakdown.MAIN_HEAP), 1e-9);
        assertEquals(0.5, resident.get(MemoryBreakdown.GSTREAMER_PLUGINS), 1e-9);
        assertEquals((4 + 256) / 1024.0, resident.get(MemoryBreakdown.JVM_FILES), 1e-9);
        assertEquals(128 / 1024.0, resident.get(MemoryBreakdown.LIBRARIES), 1e-9);
        assertEquals(32 / 1024.0, resident.get(MemoryBreakdown.OTHER_FILES), 1e-9);
    }

    @Test
    void whatTheJvmDoesNotCountIsTheAnonymousMemoryLessItsAccounts() {
        Map<String, Double> resident = MemoryBreakdown.residentByKind(List.of());
        resident.put(MemoryBreakdown.ANONYMOUS, 140.0);
        resident.put(MemoryBreakdown.MAIN_HEAP, 24.0);
        MemoryBreakdown breakdown = new MemoryBreakdown(208, 98, resident, 50, 61, 12);

        assertEquals(140 + 24 - 50 - 61 - 12, breakdown.uncountedAnonymousMiB(), 1e-9);
    }
}
