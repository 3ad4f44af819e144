package io.pistream.recorder.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.gstreamer.SettingsCheck;
import io.pistream.recorder.Recorder;
import io.pistream.recorder.RecordingFiles;
import io.pistream.recorder.Recording;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records the hub's shared streams to files, named after the source and the time. */
@Component(service = {Recorder.class, RecordingFiles.class}, configurationPid = "io.pistream.recorder")
@Designate(ocd = RecorderConfig.class)
public final class RecorderComponent implements Recorder, RecordingFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RecorderComponent.class);
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final MediaHub hub;
    private final Path directory;
    private final String container;
    private final AtomicInteger counter = new AtomicInteger();
    private final Map<String, RecordingPipeline> recordings = new LinkedHashMap<>();

    @Activate
    public RecorderComponent(@Reference MediaHub hub, RecorderConfig config) {
        this.hub = hub;
        SettingsCheck check = new SettingsCheck("io.pistream.recorder");
        String chosen = check.oneOf("container", config.container(), Set.of("mkv", "mp4"));
        String dir = check.text("directory", config.directory());
        if (!check.ok()) {
            LOG.error("{}; using the defaults", check.problem());
            chosen = "mkv";
            dir = "";
        }
        this.container = chosen;
        this.directory = dir.isEmpty() ? Path.of(System.getProperty("karaf.data", "."), "recordings") : Path.of(dir);
    }

    @Override
    public synchronized Recording start(String videoSourceId, String audioSourceId) throws MediaException {
        requireSourceId("video", videoSourceId);
        if (audioSourceId != null) {
            requireSourceId("audio", audioSourceId);
        }
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new MediaException("Cannot create the recordings directory " + directory + ": " + e.getMessage(), e);
        }
        String id = "r" + counter.incrementAndGet();
        Path file = directory.resolve(videoSourceId + "-" + LocalDateTime.now().format(STAMP) + "-" + id + "."
                + container);
        RecordingPipeline recording = new RecordingPipeline(id, hub, videoSourceId, audioSourceId, file, container);
        recordings.put(id, recording);
        return recording.info();
    }

    private static void requireSourceId(String what, String id) throws MediaException {
        if (id == null || !SOURCE.matcher(id).matches()) {
            throw new MediaException("Invalid " + what + " source id '" + id + "'");
        }
    }

    @Override
    public synchronized Recording stop(String recordingId) throws MediaException {
        RecordingPipeline recording = recordings.get(recordingId);
        if (recording == null) {
            throw new MediaException("No recording '" + recordingId + "'; known: " + recordings.keySet());
        }
        recording.stop();
        return recording.info();
    }

    @Override
    public synchronized List<Recording> recordings() {
        List<Recording> all = new ArrayList<>();
        recordings.values().forEach(recording -> all.add(recording.info()));
        return all;
    }

    @Override
    public synchronized void delete(String recordingId) throws MediaException {
        RecordingPipeline recording = recordings.get(recordingId);
        if (recording == null) {
            throw new MediaException("No recording '" + recordingId + "'");
        }
        Recording info = recording.info();
        if (info.state().equals("RECORDING")) {
            throw new MediaException("Recording '" + recordingId + "' is still recording: stop it first");
        }
        try {
            Files.deleteIfExists(info.file());
        } catch (java.io.IOException e) {
            throw new MediaException("Cannot delete " + info.file().getFileName() + ": " + e.getMessage(), e);
        }
        recordings.remove(recordingId);
    }

    @Deactivate
    synchronized void deactivate() {
        for (RecordingPipeline recording : recordings.values()) {
            if (recording.info().state().equals("RECORDING")) {
                recording.stop();
            }
        }
    }
}
