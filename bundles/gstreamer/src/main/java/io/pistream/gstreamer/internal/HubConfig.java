package io.pistream.gstreamer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "pistream media hub",
        description = "Shares one capture and one encoder per codec among all outputs")
public @interface HubConfig {

    @AttributeDefinition(name = "Linger (seconds)", min = "0", max = "3600",
            description = "How long a capture and its encoders keep running after the last viewer left")
    int linger_seconds() default 10;

    @AttributeDefinition(name = "First restart delay (ms)", min = "10", max = "60000",
            description = "Delay before a failed pipeline is rebuilt; doubles on each failure in a row")
    int restart_min_ms() default 500;

    @AttributeDefinition(name = "Longest restart delay (ms)", min = "100", max = "600000")
    int restart_max_ms() default 30000;

    @AttributeDefinition(name = "Stalled video (seconds)", min = "0", max = "3600",
            description = "A running video capture that gives no frame for this long (and no error) is rebuilt "
                    + "like a failed one; 0: never")
    int stall_seconds() default 10;

    @AttributeDefinition(name = "Heap collection when idle (seconds)", min = "0", max = "3600",
            description = "How long after the last capture stopped the Java heap is collected, so that the memory "
                    + "the viewers' sessions used goes back to the system; 0: never")
    int idle_collect_seconds() default 10;

    @AttributeDefinition(name = "Video tiers",
            description = "Sizes and bitrates a video source is also offered at, below its top (the source as "
                    + "captured, at the encoder's settings): WIDTHxHEIGHT@KBITS, comma separated, each smaller than "
                    + "the one before; empty for none. Each is encoded once per codec while someone watches it")
    String video_tiers() default Ladder.DEFAULT_TEXT;
}
