package io.pistream.snapshot.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "pistream snapshots", description = "JPEG pictures of video sources")
@interface SnapshotConfig {

    @AttributeDefinition(description = "Pictures per second the shared JPEG encoder makes while someone asks for "
            + "pictures (1 to 30): more answers sooner, costs more CPU")
    int framesPerSecond() default 5;

    @AttributeDefinition(description = "JPEG quality of the shared encoder (1 to 100); a picture asked with this "
            + "quality at the source's width is answered without re-encoding")
    int quality() default 85;

    @AttributeDefinition(description = "Pictures scaled or re-encoded at the same time at most (1 to 8); more "
            + "requests wait their turn within their timeout")
    int maxConversions() default 2;
}
