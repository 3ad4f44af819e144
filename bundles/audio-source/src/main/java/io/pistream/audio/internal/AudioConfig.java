package io.pistream.audio.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A microphone or other audio source, one per file {@code etc/io.pistream.audio-<id>.cfg}. */
@ObjectClassDefinition(name = "pistream audio source",
        description = "An audio source: microphone, test tone, audio file or text-to-speech")
@interface AudioConfig {

    @AttributeDefinition(description = "Identifier used by outputs; defaults to the configuration's name")
    String id() default "";

    @AttributeDefinition(description = "Name shown to users")
    String name() default "";

    @AttributeDefinition(description = "auto (the system's capture device, else the test tone), alsa, pulse, test, "
            + "file, tts")
    String type() default "auto";

    @AttributeDefinition(description = "ALSA device (e.g. sysdefault:CARD=Device) or PulseAudio source name")
    String device() default "";

    @AttributeDefinition(description = "Test tone waveform (audiotestsrc wave), e.g. sine, ticks, pink-noise")
    String wave() default "sine";

    @AttributeDefinition(description = "Test tone frequency in Hz", min = "20", max = "20000")
    int freq() default 440;

    @AttributeDefinition(description = "Audio file: an absolute path or a file:// URI")
    String uri() default "";

    @AttributeDefinition(description = "Play an audio file again when it ends")
    boolean loop() default true;

    @AttributeDefinition(description = "Text spoken when a text-to-speech source starts")
    String text() default "";

    @AttributeDefinition(description = "espeak voice, e.g. en, en-us, fr, de")
    String voice() default "en";

    @AttributeDefinition(min = "8000", max = "48000")
    int rate() default 48000;

    @AttributeDefinition(min = "1", max = "2")
    int channels() default 1;
}
