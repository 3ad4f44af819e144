package io.pistream.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.pistream.api.snapshot.Snapshots;
import io.pistream.snapshot.command.SnapshotCommand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell command passes the width and quality given before or after the file, and writes what it got. */
class SnapshotCommandTest {

    @TempDir
    Path directory;

    private final List<String> asked = new ArrayList<>();
    private final Snapshots fake = (source, width, quality, timeout) -> {
        asked.add(source + " " + width + " " + quality);
        return new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2};
    };

    @Test
    void optionsAfterTheFile() throws Exception {
        Path file = directory.resolve("a.jpg");
        run(file, 0, Snapshots.DEFAULT_QUALITY, List.of("--width", "320", "--quality", "40"));
        assertEquals(List.of("camera 320 40"), asked);
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2}, Files.readAllBytes(file));
    }

    @Test
    void optionsBeforeTheFileAndDefaults() throws Exception {
        run(directory.resolve("b.jpg"), 640, Snapshots.DEFAULT_QUALITY, null);
        assertEquals(List.of("camera 640 85"), asked);
    }

    @Test
    void badTrailingOptionsWriteNothing() throws Exception {
        Path file = directory.resolve("c.jpg");
        run(file, 0, 85, List.of("--width"));
        run(file, 0, 85, List.of("--size", "3"));
        run(file, 0, 85, List.of("--width", "big"));
        assertEquals(List.of(), asked);
        assertFalse(Files.exists(file));
    }

    private void run(Path file, int width, int quality, List<String> trailing) throws Exception {
        SnapshotCommand command = new SnapshotCommand();
        set(command, "snapshots", fake);
        set(command, "source", "camera");
        set(command, "file", file.toString());
        set(command, "width", width);
        set(command, "quality", quality);
        set(command, "trailing", trailing);
        command.execute();
    }

    private static void set(Object target, String field, Object value) throws Exception {
        var declared = target.getClass().getDeclaredField(field);
        declared.setAccessible(true);
        declared.set(target, value);
    }
}
