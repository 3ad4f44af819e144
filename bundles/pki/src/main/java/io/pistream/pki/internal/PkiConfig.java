package io.pistream.pki.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The PKI, {@code etc/io.pistream.pki.cfg}; it works without the file. */
@ObjectClassDefinition(name = "pistream PKI",
        description = "The device's CA and HTTPS server certificate, created on first start and renewed before expiry")
@interface PkiConfig {

    @AttributeDefinition(description = "Directory of ca.crt, ca.key, keystore.p12 and the other files; "
            + "${karaf.etc} and other system properties are replaced")
    String directory() default "${karaf.etc}/pki";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of keystore.p12; empty: a random one,"
            + " kept in keystore.password next to it")
    String keystore_password() default "";

    @AttributeDefinition(description = "More names for the server certificate, comma-separated DNS names or IP "
            + "addresses (e.g. a DNS alias or a router's public address); the device's own names are always in. A new"
            + " CA may vouch for them; a name added later needs a new CA")
    String extra_names() default "";

    @AttributeDefinition(min = "1", max = "180",
            description = "Re-issue the server certificate when it expires within this many days")
    int renew_days() default 30;

    @AttributeDefinition(min = "0", max = "10080", description = "Minutes between checks of expiry and of the "
            + "device's names (a new address, say); 0 checks only at start")
    int check_interval_minutes() default 60;

    @AttributeDefinition(description = "Point Pax Web's HTTPS connector (etc/org.ops4j.pax.web.cfg) at the keystore"
            + " and enable it; false leaves that file to you, e.g. to switch TLS off")
    boolean update_pax_web() default true;
}
