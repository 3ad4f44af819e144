package io.pistream.pki.internal;

import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.pistream.pki.DeviceNames;
import io.pistream.pki.TlsMaterial;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the CA and the HTTPS keystore on first start, re-issues the server certificate when needed, points Pax
 * Web's HTTPS connector at it and registers {@link TlsMaterial}.
 *
 * <p>The service is registered by hand rather than by DS so that its properties can change when the certificate is
 * re-issued. If the files cannot be made (the clock is not set yet, the directory is not writable, half a CA), the
 * component stays active, logs why, and tries again every minute.
 */
@Component(immediate = true, configurationPid = PkiComponent.PID, service = {})
@Designate(ocd = PkiConfig.class)
public final class PkiComponent {

    static final String PID = "io.pistream.pki";

    private static final Logger LOG = LoggerFactory.getLogger(PkiComponent.class);
    private static final int RETRY_MINUTES = 1;

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final PkiSettings settings;
    private final TlsProvisioner provisioner;
    private final ScheduledExecutorService scheduler;
    private ServiceRegistration<TlsMaterial> registration;
    private boolean failing;
    private boolean stopped;

    @Activate
    public PkiComponent(BundleContext context, @Reference ConfigurationAdmin configurationAdmin, PkiConfig config) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        try {
            this.settings = PkiSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("TLS: configuration {} refused. {}", PID, e.getMessage());
            throw e;
        }
        this.provisioner = new TlsProvisioner(settings, DeviceNames::collect, DeviceNames::hostname,
                Clock.systemUTC());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pistream-pki");
            thread.setDaemon(true);
            return thread;
        });
        check();
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            stopped = true;
        }
        scheduler.shutdownNow();
        synchronized (this) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the framework is stopping the bundle
                }
                registration = null;
            }
        }
    }

    /** Ensures the files, then tells Pax Web and the service's users if they changed; reschedules itself. */
    private synchronized void check() {
        if (stopped) {
            return;
        }
        TlsProvisioner.Outcome outcome;
        try {
            outcome = provisioner.ensure();
        } catch (Exception e) {
            if (!failing) {
                LOG.error("TLS: cannot prepare the HTTPS certificate in {}: {} (trying again every minute)",
                        settings.directory(), e.getMessage(), e);
            }
            failing = true;
            schedule(RETRY_MINUTES);
            return;
        }
        failing = false;
        boolean first = registration == null;
        report(outcome, first);
        if (first || outcome.changed()) {
            updatePaxWeb(outcome);
        }
        if (first) {
            registration = context.registerService(TlsMaterial.class, outcome.material(), properties(outcome));
        } else if (outcome.changed()) {
            registration.setProperties(properties(outcome));
        }
        schedule(settings.checkIntervalMinutes());
    }

    private void schedule(int minutes) {
        if (minutes > 0 && !scheduler.isShutdown()) {
            scheduler.schedule(this::check, minutes, TimeUnit.MINUTES);
        }
    }

    private void report(TlsProvisioner.Outcome outcome, boolean first) {
        if (outcome.warning() != null) {
            LOG.warn("TLS: {}", outcome.warning());
        }
        if (outcome.ca().wasCreated()) {
            LOG.info("TLS: created the certificate authority '{}' in {}, limited to {}", outcome.ca().subject(),
                    outcome.ca().files().directory(), outcome.ca().nameConstraints().orElseThrow());
        }
        if (outcome.issued()) {
            LOG.info("TLS: issued a server certificate for {}, valid until {}, because {}; keystore {}",
                    outcome.certificate().names(), outcome.certificate().notAfter(), outcome.issueReason(),
                    outcome.material().keystorePath());
        } else if (first) {
            LOG.info("TLS: server certificate for {}, valid until {}; keystore {}", outcome.certificate().names(),
                    outcome.certificate().notAfter(), outcome.material().keystorePath());
        }
        if (first && outcome.ca().nameConstraints().isEmpty()) {
            LOG.warn("TLS: the CA {} has no name constraints (made by an earlier version), so whoever trusts it trusts"
                    + " it for every web site; to limit it to this device and the local network, remove ca.crt and"
                    + " ca.key, restart and import the new ca.crt (pki/README.md)", outcome.ca().certificatePath());
        }
        if (first || outcome.ca().wasCreated()) {
            LOG.info("TLS: the CA certificate to import into browsers and phones is {} (SHA-256 {})",
                    outcome.ca().certificatePath(), outcome.ca().sha256Fingerprint());
            LOG.info("TLS: import it once as a trusted certificate authority (Firefox, Chrome, Android, iOS: see "
                    + "pki/README.md), then https://<this device>:8443/ is trusted; keep {} private",
                    outcome.ca().files().caKey());
        }
    }

    private void updatePaxWeb(TlsProvisioner.Outcome outcome) {
        if (!settings.updatePaxWeb()) {
            return;
        }
        try {
            Map<String, String> changed = PaxWebHttps.apply(configurationAdmin, outcome.material(),
                    outcome.certificate().sha256Fingerprint());
            if (!changed.isEmpty()) {
                LOG.info("TLS: pointed Pax Web's HTTPS connector at {} (changed: {})",
                        outcome.material().keystorePath(), changed.keySet());
            }
        } catch (Exception e) {
            LOG.error("TLS: cannot update the configuration {}: {}", PaxWebHttps.PID, e.getMessage(), e);
        }
    }

    private static Dictionary<String, Object> properties(TlsProvisioner.Outcome outcome) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(TlsMaterial.CERTIFICATE_SHA256, outcome.certificate().sha256Fingerprint());
        properties.put(TlsMaterial.CERTIFICATE_NOT_AFTER, outcome.certificate().notAfter().toString());
        return properties;
    }
}
