package io.pistream.gstreamer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Writes a pipeline graph as Graphviz dot, and as SVG when Graphviz's {@code dot} is installed. */
public final class GraphFiles {

    private GraphFiles() {
    }

    /** Renders dot text to SVG with Graphviz, or returns {@code null} when {@code dot} is not installed. */
    public static String toSvg(String dot) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("dot", "-Tsvg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null; // Graphviz is not installed
        }
        try (var input = process.getOutputStream()) {
            input.write(dot.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] svg = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("Graphviz dot failed to render the graph");
        }
        return new String(svg, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes {@code base}.dot and, if possible, {@code base}.svg; returns the files written. */
    public static List<Path> write(String dot, Path base) throws IOException, InterruptedException {
        List<Path> written = new ArrayList<>();
        Files.createDirectories(base.toAbsolutePath().getParent());
        Path dotFile = base.resolveSibling(base.getFileName() + ".dot");
        Files.writeString(dotFile, dot);
        written.add(dotFile);
        String svg = toSvg(dot);
        if (svg != null) {
            Path svgFile = base.resolveSibling(base.getFileName() + ".svg");
            Files.writeString(svgFile, svg);
            written.add(svgFile);
        }
        return written;
    }
}
