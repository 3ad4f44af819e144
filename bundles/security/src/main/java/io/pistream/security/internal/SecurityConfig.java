package io.pistream.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "pistream security",
        description = "Who may use the device, at every door (RTSP, web app, signalling, HTTP API)")
public @interface SecurityConfig {

    @AttributeDefinition(description = "on: every door asks for credentials. off: nobody is asked (labs only; "
            + "a warning is logged at every start and the web app shows a banner)",
            options = {@Option(value = "on", label = "on"), @Option(value = "off", label = "off")})
    String auth() default "on";

    @AttributeDefinition(description = "JAAS realm holding the users (Karaf's own: karaf)")
    String realm() default "karaf";

    @AttributeDefinition(description = "Failed logins a client address may make within the window before it is refused")
    int loginFailuresAllowed() default 5;

    @AttributeDefinition(description = "Window in which failed logins are counted, seconds")
    int loginFailureWindowSeconds() default 60;

    @AttributeDefinition(description = "How long an address with too many failed logins is refused, seconds")
    int refuseSeconds() default 60;

    @AttributeDefinition(description = "Lifetime of a browser session, hours")
    int sessionHours() default 12;

    @AttributeDefinition(description = "Browser sessions kept at once; past it the oldest ends")
    int maxSessions() default 1000;
}
