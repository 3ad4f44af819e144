package io.pistream.webauth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "pistream HTTP door",
        description = "Authentication in front of every servlet of the device's HTTPS connector")
public @interface WebAuthConfig {

    @AttributeDefinition(description = "Origins besides the device's own (the address a browser used to reach it) "
            + "whose pages may open WebSockets and send changes, e.g. https://dashboard.example:443. Default: none",
            required = false)
    String[] allowedOrigins() default {};
}
