package io.pistream.snapshot.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.pistream.api.snapshot.SnapshotException;
import io.pistream.api.snapshot.Snapshots;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Writes a JPEG of a source's current picture to a file. */
@Service
@Command(scope = "pistream", name = "snapshot", description = "Writes a JPEG of a video source's current picture to "
        + "a file")
public class SnapshotCommand implements Action {

    @Reference
    Snapshots snapshots;

    @Argument(index = 0, name = "source", description = "The video source", required = true)
    String source;

    @Argument(index = 1, name = "file", description = "The JPEG file to write", required = true)
    String file;

    @Option(name = "--width", description = "Width in pixels (0: the source's own; never scaled up)")
    int width;

    @Option(name = "--quality", description = "JPEG quality, 1 to 100")
    int quality = Snapshots.DEFAULT_QUALITY;

    @Override
    public Object execute() throws Exception {
        byte[] jpeg;
        try {
            jpeg = snapshots.jpeg(source, width, quality, Duration.ofSeconds(5));
        } catch (SnapshotException e) {
            System.err.println("No picture (" + e.reason() + "): " + e.getMessage());
            return null;
        }
        Path target = Path.of(file).toAbsolutePath();
        Files.write(target, jpeg);
        System.out.println("Wrote " + jpeg.length + " bytes to " + target);
        return null;
    }
}
