package io.pistream.latency.internal;

import java.util.regex.Pattern;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.GStreamerRuntime;
import io.pistream.gstreamer.SettingsCheck;
import io.pistream.latency.FrameStamp;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live test pattern whose every frame carries its capture time as a {@link FrameStamp} band, written when
 * the frame leaves the pattern generator. A receiver that reads the band from the picture it decodes knows the
 * whole delay: encoding, payloading, network, jitter buffer and decoding.
 */
@Component(service = MediaSource.class, configurationPid = "io.pistream.latency",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StampedPatternConfig.class)
public final class StampedPatternSource implements MediaSource {

    private static final Logger LOG = LoggerFactory.getLogger(StampedPatternSource.class);

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern PATTERN_NAME = Pattern.compile("[a-z0-9-]+");

    private final String id;
    private final String pattern;
    private final int width;
    private final int height;
    private final int framerate;
    private final String problem;

    @Activate
    public StampedPatternSource(@Reference GStreamerRuntime runtime, StampedPatternConfig config) {
        this(config.id(), config.pattern(), config.width(), config.height(), config.framerate());
        if (problem != null) {
            LOG.error("Latency probe '{}' refused: {}", id, problem);
        } else {
            LOG.info("Latency probe '{}': {}x{}@{} pattern {} stamped with its capture time", id, width, height,
                    framerate, pattern);
        }
    }

    /** Also used directly by tests and benchmarks. */
    public StampedPatternSource(String id, String pattern, int width, int height, int framerate) {
        this.id = id;
        this.pattern = pattern;
        this.width = width;
        this.height = height;
        this.framerate = framerate;
        SettingsCheck check = new SettingsCheck("io.pistream.latency");
        check.matching("id", id, IDENTIFIER, "letters, digits, '-' or '_'");
        check.require(!id.isEmpty(), "id", "must not be empty");
        check.matching("pattern", pattern, PATTERN_NAME, "a videotestsrc pattern name such as ball or smpte");
        check.require(FrameStamp.fits(width, height), "width/height", width + "x" + height
                + " cannot carry the stamp (width a multiple of " + 2 * FrameStamp.COLUMNS + ", height even)");
        check.range("framerate", framerate, 1, 60);
        this.problem = check.problem();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String name() {
        return "Latency probe (" + pattern + ", stamped with its capture time)";
    }

    @Override
    public String rawCaps() {
        return Elements.rawVideoCaps(width, height, framerate);
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public Element createElement() throws MediaException {
        if (problem != null) {
            throw new MediaException(problem);
        }
        Element generator = Elements.make("videotestsrc", null);
        generator.set("is-live", true);
        generator.setAsString("pattern", pattern);
        Element format = Elements.capsFilter(null, rawCaps());
        Element bin = Elements.chain("stamp-" + id, generator, format);
        StampWriter.attach(format.getStaticPad("src"), width, height);
        return bin;
    }
}
