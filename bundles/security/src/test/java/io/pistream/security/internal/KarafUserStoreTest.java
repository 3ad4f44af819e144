package io.pistream.security.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.junit.jupiter.api.Test;

/** Which of the realm's user stores pistream manages: the users file, never the SSH key file. */
class KarafUserStoreTest {

    private static final String PROPERTIES_MODULE = KarafUserStore.USERS_FILE_MODULE;

    /** Karaf's realm as shipped: the users file, then the SSH public keys. */
    private static final JaasRealm KARAF = realm(PROPERTIES_MODULE, KarafUserStore.PUBLIC_KEY_MODULE);

    private final BackingEngine usersFile = engine();
    private final BackingEngine keyFile = engine();

    @Test
    void theUsersFileIsManaged() {
        KarafUserStore store = new KarafUserStore(KARAF, List.of(factory(KarafUserStore.PUBLIC_KEY_MODULE, keyFile),
                factory(PROPERTIES_MODULE, usersFile)));
        assertSame(usersFile, store.engine());
        assertTrue(store.canManageUsers());
    }

    /** While the platform stops the users file's engine goes first; the key file used to be taken for it. */
    @Test
    void withoutTheUsersFilesEngineNothingIsManagedRatherThanTheKeyFile() {
        KarafUserStore store = new KarafUserStore(KARAF, List.of(factory(KarafUserStore.PUBLIC_KEY_MODULE, keyFile)));
        IllegalStateException refused = assertThrows(IllegalStateException.class, store::engine);
        assertTrue(refused.getMessage().contains(PROPERTIES_MODULE), refused.getMessage());
        assertThrows(IllegalStateException.class, store::users);
        assertFalse(store.canManageUsers(), "the store is made ready once the users file's engine comes");
        assertTrue(store.managesTheUsersFile());
    }

    @Test
    void aRealmWhoseFirstModuleIsNotTheUsersFileIsNotWaitedFor() {
        JaasRealm ldapFirst = realm("org.apache.karaf.jaas.modules.ldap.LDAPLoginModule", PROPERTIES_MODULE);
        KarafUserStore store = new KarafUserStore(ldapFirst, List.of(factory(PROPERTIES_MODULE, usersFile)));
        assertFalse(store.canManageUsers(), "LDAP's users are not managed here");
        assertFalse(store.managesTheUsersFile(), "no engine is waited for: none comes for LDAP");
    }

    /** Realm "karaf" with these login modules, in order. */
    private static JaasRealm realm(String... modules) {
        return new JaasRealm() {
            @Override
            public String getName() {
                return "karaf";
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                return java.util.Arrays.stream(modules).map(KarafUserStoreTest::entry)
                        .toArray(AppConfigurationEntry[]::new);
            }
        };
    }

    private static AppConfigurationEntry entry(String module) {
        return new AppConfigurationEntry(ProxyLoginModule.class.getName(), LoginModuleControlFlag.SUFFICIENT,
                Map.of(ProxyLoginModule.PROPERTY_MODULE, module));
    }

    private static BackingEngineFactory factory(String module, BackingEngine engine) {
        return new BackingEngineFactory() {
            @Override
            public String getModuleClass() {
                return module;
            }

            @Override
            public BackingEngine build(Map<String, ?> options) {
                return engine;
            }
        };
    }

    private static BackingEngine engine() {
        return (BackingEngine) Proxy.newProxyInstance(KarafUserStoreTest.class.getClassLoader(),
                new Class<?>[] {BackingEngine.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
