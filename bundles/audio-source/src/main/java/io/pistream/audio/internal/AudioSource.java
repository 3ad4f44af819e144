package io.pistream.audio.internal;

import java.util.Hashtable;
import java.util.Map;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.audio.SpeechSource;
import io.pistream.gstreamer.ConfiguredSource;
import io.pistream.gstreamer.GStreamerRuntime;

import org.freedesktop.gstreamer.Element;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * An audio source made from a factory configuration. A text-to-speech source also registers a
 * {@link SpeechSource}. A refused configuration is still registered with its problem and never runs.
 */
@Component(service = MediaSource.class, configurationPid = AudioSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AudioConfig.class, factory = true)
public final class AudioSource extends ConfiguredSource<AudioSettings> {

    private volatile Speech speech;
    private BundleContext context;
    private ServiceRegistration<SpeechSource> speechRegistration;

    @Activate
    public AudioSource(@Reference GStreamerRuntime runtime, AudioConfig config, Map<String, Object> properties,
            BundleContext context) {
        this(AudioSettings.from(config, properties));
        this.context = context;
        registerSpeech();
    }

    AudioSource(AudioSettings settings) {
        super(MediaKind.AUDIO, "Audio source");
        apply(settings);
    }

    /** A new configuration: used at once; the hub rebuilds only this source's capture, its listeners stay. */
    @Modified
    synchronized void modified(AudioConfig config, Map<String, Object> properties) {
        apply(AudioSettings.from(config, properties));
        registerSpeech();
    }

    private synchronized void registerSpeech() {
        if (speechRegistration != null) {
            speechRegistration.unregister();
            speechRegistration = null;
        }
        if (context != null && settings().problem() == null && speech != null) {
            Hashtable<String, Object> serviceProperties = new Hashtable<>();
            serviceProperties.put("pistream.source.id", settings().id());
            speechRegistration = context.registerService(SpeechSource.class, speechSource(), serviceProperties);
        }
    }

    @Override
    protected void apply(AudioSettings next) {
        this.speech = next.type().equals("tts") ? new Speech(next) : null;
        super.apply(next);
    }

    @Override
    protected String describe(AudioSettings accepted) {
        return accepted.type() + " " + accepted.rate() + " Hz, " + accepted.channels() + " channel(s)";
    }

    @Deactivate
    synchronized void deactivate() {
        if (speechRegistration != null) {
            speechRegistration.unregister();
            speechRegistration = null;
        }
    }

    /** The speech side of a text-to-speech source. */
    SpeechSource speechSource() {
        return new SpeechSource() {
            @Override
            public String id() {
                return settings().id();
            }

            @Override
            public void say(String text) throws MediaException {
                Speech current = speech;
                if (current == null) {
                    throw new MediaException("Source '" + settings().id() + "' is no longer a text-to-speech source");
                }
                current.say(text);
            }
        };
    }

    @Override
    public String rawCaps() {
        return settings().rawCaps();
    }

    @Override
    protected Element build(AudioSettings accepted) throws MediaException {
        return AudioElements.build(accepted, speech);
    }
}
