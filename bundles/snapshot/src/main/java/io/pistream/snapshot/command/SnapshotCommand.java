package io.pistream.snapshot.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    // Karaf stops reading options at the first argument: these take them after the file too
    @Argument(index = 2, name = "options", description = "--width and --quality may also follow the file",
            multiValued = true)
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        List<String> rest = trailing == null ? List.of() : trailing;
        for (int i = 0; i < rest.size(); i += 2) {
            String option = rest.get(i);
            if (i + 1 >= rest.size() || !option.equals("--width") && !option.equals("--quality")) {
                System.err.println("Unknown option or missing value: " + String.join(" ", rest.subList(i,
                        rest.size())) + " (use --width N, --quality Q)");
                return null;
            }
            int value;
            try {
                value = Integer.parseInt(rest.get(i + 1));
            } catch (NumberFormatException e) {
                System.err.println(option + " takes a number, not '" + rest.get(i + 1) + "'");
                return null;
            }
            if (option.equals("--width")) {
                width = value;
            } else {
                quality = value;
            }
        }
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
