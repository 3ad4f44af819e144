package io.pistream.security.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.karaf.jaas.modules.EncryptionService;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers the Argon2id {@link EncryptionService} as soon as this bundle starts, before Declarative Services runs.
 *
 * <p>Karaf's JAAS bundle (start level 30) checks every password of the users file at its start and waits for the
 * encryption service its configuration names. If that service came later, through Declarative Services, the JAAS
 * bundle sat in that wait for 10 s at every boot, holding up everything installed after it. This bundle starts at a
 * lower start level (see the feature), so the service is there first.
 */
public final class SecurityActivator implements BundleActivator {

    static final String ENCRYPTION_NAME = "pistream";

    private ServiceRegistration<EncryptionService> registration;

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", ENCRYPTION_NAME);
        registration = context.registerService(EncryptionService.class, new Argon2EncryptionService(), properties);
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }
}
