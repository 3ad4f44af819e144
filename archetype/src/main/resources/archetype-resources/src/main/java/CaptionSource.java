package ${package};

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.ConfiguredSource;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.GStreamerRuntime;
import io.pistream.gstreamer.SettingsCheck;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A video source, one per configuration file {@code etc/${configPid}-NAME.cfg}: a test pattern with a caption.
 * Replace what {@link #build(Settings)} builds with your own capture; keep the rest.
 *
 * <p>The media hub finds every {@link MediaSource} service. It calls {@link #createElement()} when the first viewer
 * subscribes, and again each time it rebuilds the capture (after an error, or after a new configuration); it owns
 * and disposes what it gets. A refused configuration still registers the source, with its {@link #problem()}, so
 * that {@code pistream:sources} says what is wrong; nobody can watch it until the file is fixed
 * ({@link ConfiguredSource} does that part).
 */
@Component(service = MediaSource.class, configurationPid = CaptionSource.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CaptionConfig.class, factory = true)
public final class CaptionSource extends ConfiguredSource<CaptionSource.Settings> {

    /** The factory PID: files {@code etc/${configPid}-NAME.cfg}. */
    public static final String PID = "${configPid}";

    static final Set<String> PATTERNS = Set.of("smpte", "snow", "black", "white", "red", "green", "blue",
            "checkers-1", "checkers-2", "checkers-4", "checkers-8", "circular", "blink", "smpte75", "zone-plate",
            "gamut", "chroma-zone-plate", "ball", "smpte100", "bar", "pinwheel", "spokes", "gradient", "colors");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * The reference to {@link GStreamerRuntime} makes this component wait until the distribution has initialised
     * GStreamer: a bundle never initialises it itself.
     */
    @Activate
    public CaptionSource(@Reference GStreamerRuntime runtime, CaptionConfig config, Map<String, Object> properties) {
        this(Settings.from(config, properties));
    }

    CaptionSource(Settings settings) {
        super(MediaKind.VIDEO, "Source");
        apply(settings);
    }

    /**
     * The file changed: the new settings apply at once, and the hub, told by the changed service properties,
     * rebuilds this capture while its viewers stay connected.
     */
    @Modified
    void modified(CaptionConfig config, Map<String, Object> properties) {
        apply(Settings.from(config, properties));
    }

    @Override
    protected String describe(Settings accepted) {
        return "pattern " + accepted.pattern() + " " + accepted.width() + "x" + accepted.height() + "@"
                + accepted.framerate();
    }

    /** Exactly what the element's src pad produces: raw I420 video, which every encoder of the hub accepts. */
    @Override
    public String rawCaps() {
        Settings current = settings();
        return Elements.rawVideoCaps(current.width(), current.height(), current.framerate());
    }

    /**
     * A new bin with a ghost pad {@code src}, built from element factories and typed properties: no configuration
     * value is ever parsed as a pipeline description.
     */
    @Override
    protected Element build(Settings current) throws MediaException {
        Element pattern = Elements.make("videotestsrc", null);
        pattern.set("is-live", true); // a live source: the hub's pipeline runs on the clock, like a camera
        pattern.setAsString("pattern", current.pattern());
        Element caption = Elements.make("textoverlay", null);
        caption.set("text", current.text());
        caption.setAsString("valignment", "bottom");
        caption.set("font-desc", "Sans 24");
        return Elements.chain("caption-" + current.id(), pattern,
                Elements.capsFilter(null, "video/x-raw,width=" + current.width() + ",height=" + current.height()
                        + ",framerate=" + current.framerate() + "/1"),
                caption, Elements.make("videoconvert", null),
                Elements.capsFilter(null, Elements.rawVideoCaps(current.width(), current.height(),
                        current.framerate())));
    }

    /** Checked settings; {@code problem} names every bad key at once, or is {@code null}. */
    record Settings(String id, String name, String pattern, String text, int width, int height, int framerate,
            String problem) implements ConfiguredSource.Settings {

        static Settings from(CaptionConfig config, Map<String, ?> properties) {
            SettingsCheck check = new SettingsCheck(PID);
            String id = check.matching("id", config.id().isBlank() ? SettingsCheck.instanceName(properties)
                    : config.id(), ID, "letters, digits, '.', '_' or '-'");
            String name = check.text("name", config.name());
            String pattern = check.oneOf("pattern", config.pattern(), PATTERNS);
            String text = check.text("text", config.text());
            int width = check.range("width", config.width(), 16, 4096);
            int height = check.range("height", config.height(), 16, 4096);
            int framerate = check.range("framerate", config.framerate(), 1, 60);
            return new Settings(id, name.isEmpty() ? id : name, pattern, text, width, height, framerate,
                    check.problem());
        }
    }
}
