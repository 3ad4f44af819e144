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
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The device's {@link AccessControl} and {@link Accounts}, over Karaf's JAAS realm. Waits for the Argon2id encryption
 * service so that no password is ever written before it can be hashed.
 */
@Component(service = {AccessControl.class, Accounts.class}, configurationPid = "io.pistream.security",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecurityConfig.class)
public final class SecurityComponent extends Gatekeeper {

    @Activate
    public SecurityComponent(SecurityConfig config,
            @Reference(target = "(name=pistream)") EncryptionService argon2,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
            List<JaasRealm> realms,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
            List<BackingEngineFactory> engineFactories) throws IOException {
        super(SecuritySettings.of(config), new KarafUserStore(realm(config.realm(), realms), engineFactories),
                Path.of(System.getProperty("karaf.etc", "etc")), Clock.systemUTC());
        prepare();
    }

    private static JaasRealm realm(String name, List<JaasRealm> realms) {
        return realms.stream().filter(candidate -> name.trim().equals(candidate.getName()))
                .max(Comparator.comparingInt(JaasRealm::getRank))
                .orElseThrow(() -> new IllegalStateException("No JAAS realm named '" + name
                        + "'; realms: " + realms.stream().map(JaasRealm::getName).toList()));
    }
}
