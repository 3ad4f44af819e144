package io.pistream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JVM's resident memory is: the kernel's view (smaps: anonymous memory, glibc's main heap, file pages by
 * kind of file) beside the JVM's own accounts (heap and metaspace committed, code cache used, from jcmd), which
 * need no start-up flag. Anonymous memory minus the JVM's accounts is what the JVM does not count: thread stacks,
 * glibc's other arenas, the collector's and the symbol tables' own memory.
 */
record MemoryBreakdown(double rssMiB, int threads, Map<String, Double> residentMiB, double heapCommittedMiB,
        double metaspaceCommittedMiB, double codeCacheUsedMiB) {

    static final String ANONYMOUS = "anonymous, outside glibc's main heap";
    static final String MAIN_HEAP = "glibc's main heap (`[heap]`)";
    static final String GSTREAMER_PLUGINS = "GStreamer plugins (files)";
    static final String JVM_FILES = "the JVM's libraries, modules and CDS archive (files)";
    static final String LIBRARIES = "other shared libraries (files)";
    static final String OTHER_FILES = "other files";

    private static final Pattern MAPPING = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ \\S+ \\S+ \\S+ \\S+\\s*(.*)$");
    private static final Pattern GENERATION_TOTAL = Pattern.compile("(?:generation|heap)\\s+total (\\d+)K");
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used \\d+K, committed (\\d+)K");
    private static final Pattern CODE_USED = Pattern.compile("(?<!_)used=(\\d+)Kb"); // not max_used

    /** Reads the process now; fails when jcmd cannot reach it. */
    static MemoryBreakdown of(String pid) throws IOException, InterruptedException {
        Map<String, Double> resident = residentByKind(Files.readAllLines(Path.of("/proc", pid, "smaps")));
        String heapInfo = Commands.jcmd(pid, "GC.heap_info");
        return new MemoryBreakdown(ProcessStats.rssMiB(pid), ProcessStats.threads(pid), resident,
                heapCommittedMiB(heapInfo), metaspaceCommittedMiB(heapInfo),
                codeCacheUsedMiB(Commands.jcmd(pid, "Compiler.codecache")));
    }

    /** Resident MiB of the mappings in smaps, by the kinds above. */
    static Map<String, Double> residentByKind(List<String> smaps) {
        Map<String, Double> resident = new LinkedHashMap<>();
        for (String kind : List.of(ANONYMOUS, MAIN_HEAP, GSTREAMER_PLUGINS, JVM_FILES, LIBRARIES, OTHER_FILES)) {
            resident.put(kind, 0.0);
        }
        String kind = OTHER_FILES;
        for (String line : smaps) {
            Matcher mapping = MAPPING.matcher(line);
            if (mapping.matches()) {
                kind = kindOf(mapping.group(1).strip());
            } else if (line.startsWith("Rss:")) {
                resident.merge(kind, Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0, Double::sum);
            }
        }
        return resident;
    }

    private static String kindOf(String path) {
        if (path.isEmpty() || path.equals("[stack]") || path.startsWith("[anon")) {
            return ANONYMOUS;
        }
        if (path.equals("[heap]")) {
            return MAIN_HEAP;
        }
        if (path.contains("/gstreamer-1.0/")) {
            return GSTREAMER_PLUGINS;
        }
        if (path.contains("/jvm/") || path.endsWith(".jsa")) {
            return JVM_FILES;
        }
        if (path.contains(".so")) {
            return LIBRARIES;
        }
        return path.startsWith("[") ? ANONYMOUS : OTHER_FILES;
    }

    /** The committed size of the heap's generations (serial, parallel) or of the whole heap (G1). */
    static double heapCommittedMiB(String heapInfo) {
        return sumOfKibInMiB(GENERATION_TOTAL, heapInfo);
    }

    /** Metaspace committed, class space included, as GC.heap_info says it. */
    static double metaspaceCommittedMiB(String heapInfo) {
        Matcher metaspace = METASPACE.matcher(heapInfo);
        return metaspace.find() ? Long.parseLong(metaspace.group(1)) / 1024.0 : Double.NaN;
    }

    /** What the code cache's parts (one, or three when segmented) hold. */
    static double codeCacheUsedMiB(String codeCache) {
        return sumOfKibInMiB(CODE_USED, codeCache);
    }

    private static double sumOfKibInMiB(Pattern kibibytes, String text) {
        Matcher figure = kibibytes.matcher(text);
        long kib = 0;
        while (figure.find()) {
            kib += Long.parseLong(figure.group(1));
        }
        return kib / 1024.0;
    }

    /** Anonymous memory (glibc's main heap included) that none of the JVM's accounts above covers. */
    double uncountedAnonymousMiB() {
        return residentMiB.get(ANONYMOUS) + residentMiB.get(MAIN_HEAP) - heapCommittedMiB - metaspaceCommittedMiB
                - codeCacheUsedMiB;
    }
}
