package io.pistream.security.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Accounts;

import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.apache.karaf.jaas.modules.EncryptionService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's {@link AccessControl} and {@link Accounts}, over Karaf's JAAS realm. Waits for the Argon2id encryption
 * service so that no password is ever written before it can be hashed. The realm's backing engines are followed as
 * they come and go: while Karaf stops, its JAAS bundle withdraws them one at a time, and a component rebuilt on what
 * is left would register its services again (and the RTSP server, which waits for them, would listen again) only to
 * go away a moment later.
 */
@Component(service = {AccessControl.class, Accounts.class}, configurationPid = "io.pistream.security",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecurityConfig.class)
public final class SecurityComponent extends Gatekeeper {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityComponent.class);

    private final KarafUserStore store;
    /** Guarded by this. */
    private boolean activated;
    /** Guarded by this. */
    private boolean prepared;

    @Activate
    public SecurityComponent(SecurityConfig config,
            @Reference(target = "(name=pistream)") EncryptionService argon2,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
            List<JaasRealm> realms) throws IOException {
        this(config, new KarafUserStore(realm(config.realm(), realms), List.of()));
    }

    private SecurityComponent(SecurityConfig config, KarafUserStore store) throws IOException {
        super(SecuritySettings.of(config), store, Path.of(System.getProperty("karaf.etc", "etc")), Clock.systemUTC());
        this.store = store;
    }

    /** Makes the store ready once the engines at hand are bound, or as soon as the users file's engine comes. */
    @Activate
    synchronized void activate() throws IOException {
        activated = true;
        prepareOnceTheUsersCanBeManaged();
    }

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngineFactory(BackingEngineFactory factory) {
        store.engineAdded(factory);
        synchronized (this) {
            if (activated) {
                try {
                    prepareOnceTheUsersCanBeManaged();
                } catch (IOException e) {
                    LOG.error("Preparing the user store failed", e);
                }
            }
        }
    }

    void unbindEngineFactory(BackingEngineFactory factory) {
        store.engineRemoved(factory);
    }

    private void prepareOnceTheUsersCanBeManaged() throws IOException {
        if (prepared) {
            return;
        }
        // the users file's engine may come after the SSH key file's; another module's may never come (the store
        // then says so as it gets ready)
        if (!store.canManageUsers() && store.managesTheUsersFile()) {
            LOG.info("The user store is made ready once the engine of its users file is there");
            return;
        }
        prepared = true;
        prepare();
    }

    private static JaasRealm realm(String name, List<JaasRealm> realms) {
        return realms.stream().filter(candidate -> name.trim().equals(candidate.getName()))
                .max(Comparator.comparingInt(JaasRealm::getRank))
                .orElseThrow(() -> new IllegalStateException("No JAAS realm named '" + name
                        + "'; realms: " + realms.stream().map(JaasRealm::getName).toList()));
    }
}
