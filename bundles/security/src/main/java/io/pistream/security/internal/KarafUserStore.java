package io.pistream.security.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import io.pistream.api.security.Role;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.GroupPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;

/**
 * Karaf's JAAS realm as pistream's user store: logins go through the realm's login modules (so whatever the
 * administrator configured there, LDAP included, is honoured), changes through the backing engine of its first
 * module that has one (the users file by default), exactly as {@code jaas:*} does.
 */
final class KarafUserStore implements UserStore {

    /** The Karaf group that gives the console roles (admin, manager, viewer, systembundles, ssh). */
    static final String ADMIN_GROUP = "admingroup";

    /** Prefix and suffix Karaf puts around hashed passwords (etc/org.apache.karaf.jaas.cfg). */
    private static final String ENCRYPTED_MARK = "{CRYPT}";
    /** Karaf's users-file login module, whose engine comes with the other engines of Karaf's JAAS bundle. */
    static final String USERS_FILE_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";
    /** Karaf's SSH public-key login module: its backing engine stores keys, not passwords. */
    static final String PUBLIC_KEY_MODULE = "org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule";

    private final JaasRealm realm;
    private final List<BackingEngineFactory> engineFactories;

    /**
     * @param engineFactories the engines at hand; others come and go through {@link #engineAdded} and
     *                        {@link #engineRemoved}
     */
    KarafUserStore(JaasRealm realm, List<BackingEngineFactory> engineFactories) {
        this.realm = realm;
        this.engineFactories = new CopyOnWriteArrayList<>(engineFactories);
    }

    void engineAdded(BackingEngineFactory factory) {
        engineFactories.add(factory);
    }

    void engineRemoved(BackingEngineFactory factory) {
        engineFactories.remove(factory);
    }

    @Override
    public Optional<Set<Role>> login(String user, String password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads the realm's proxy module through the context class loader
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            LoginContext login = new LoginContext(realm.getName(), subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password.toCharArray());
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            login.login();
            Set<Role> roles = rolesOf(subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName).toList());
            login.logout();
            return Optional.of(roles);
        } catch (LoginException refused) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }


    @Override
    public Map<String, Set<Role>> users() {
        BackingEngine engine = engine();
        Map<String, Set<Role>> users = new TreeMap<>();
        for (UserPrincipal user : engine.listUsers()) {
            users.put(user.getName(), roles(engine, user.getName()));
        }
        return users;
    }

    @Override
    public void add(String user, String password, Set<Role> roles) {
        BackingEngine engine = engine();
        engine.addUser(user, password);
        grant(engine, user, roles);
    }

    @Override
    public void remove(String user) {
        engine().deleteUser(user);
    }

    @Override
    public void setPassword(String user, String password) {
        // the engine keeps the roles of an existing user and replaces the password (hashed by the realm's encryption)
        engine().addUser(user, password);
    }

    @Override
    public Map<String, String> clearTextPasswords() {
        return usersFile().map(KarafUserStore::clearTextPasswordsIn).orElseGet(TreeMap::new);
    }

    /** The users of a Karaf users file whose password is still in clear, with that password. */
    static Map<String, String> clearTextPasswordsIn(Path file) {
        Map<String, String> clear = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return clear;
        }
        Properties users = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            users.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String user : users.stringPropertyNames()) {
            if (user.startsWith(BackingEngine.GROUP_PREFIX)) {
                continue;
            }
            String password = users.getProperty(user).split(",", 2)[0].trim();
            if (!password.isEmpty() && !(password.startsWith(ENCRYPTED_MARK) && password.endsWith(ENCRYPTED_MARK))) {
                clear.put(user, password);
            }
        }
        return clear;
    }

    @Override
    public void hashClearTextPasswords() {
        BackingEngine engine = engine();
        clearTextPasswords().forEach(engine::addUser);
    }

    /**
     * With encryption enabled, Karaf's JAAS bundle watches the users file and rewrites it with every clear-text
     * password hashed (its AutoEncryptionSupport, not atomically: the file is briefly empty while it is saved).
     */
    @Override
    public boolean hashesClearTextItself() {
        for (AppConfigurationEntry entry : realm.getEntries()) {
            Map<String, ?> options = entry.getOptions();
            if (options.get("users") != null && Boolean.parseBoolean(String.valueOf(options.get("encryption.enabled")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The engine of the realm's first password module (Karaf's: the users file). Never the SSH public-key module's
     * (its entries are keys, not passwords), and never a later module's when the first one's engine is missing:
     * while the platform stops, the users file's engine goes first, and the key file's used to be taken for it.
     */
    BackingEngine engine() {
        AppConfigurationEntry entry = passwordEntry().orElseThrow(() -> new IllegalStateException("The JAAS realm '"
                + realm.getName() + "' has no login module whose users pistream can manage (like the users file)"));
        Object module = moduleOf(entry);
        for (BackingEngineFactory factory : engineFactories) {
            if (factory.getModuleClass().equals(module)) {
                return factory.build(entry.getOptions());
            }
        }
        throw new IllegalStateException("The users of JAAS realm '" + realm.getName() + "' (" + module
                + ") cannot be managed now: no engine for that login module is running");
    }

    /** Whether the engine of the realm's first password module is there, so that users can be listed and changed. */
    boolean canManageUsers() {
        try {
            engine();
            return true;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    /** Whether the realm's first password module is Karaf's users file, whose engine is sure to come. */
    boolean managesTheUsersFile() {
        return passwordEntry().map(entry -> USERS_FILE_MODULE.equals(moduleOf(entry))).orElse(false);
    }

    /** The realm's first login module that checks passwords: any but the SSH public-key module. */
    private Optional<AppConfigurationEntry> passwordEntry() {
        return Arrays.stream(realm.getEntries()).filter(entry -> !PUBLIC_KEY_MODULE.equals(moduleOf(entry)))
                .findFirst();
    }

    private static Object moduleOf(AppConfigurationEntry entry) {
        return entry.getOptions().get(ProxyLoginModule.PROPERTY_MODULE);
    }

    /** The users file of the realm's properties module, if it has one. */
    Optional<Path> usersFile() {
        for (AppConfigurationEntry entry : realm.getEntries()) {
            Object users = entry.getOptions().get("users");
            if (users instanceof String path && !path.isBlank()) {
                return Optional.of(Path.of(path));
            }
        }
        return Optional.empty();
    }

    Set<Role> roles(BackingEngine engine, String user) {
        UserPrincipal principal = new UserPrincipal(user);
        List<String> names = new java.util.ArrayList<>(engine.listRoles(principal).stream().map(Principal::getName).toList());
        for (GroupPrincipal group : engine.listGroups(principal)) {
            engine.listRoles(group).forEach(role -> names.add(role.getName()));
        }
        return rolesOf(names);
    }

    void grant(BackingEngine engine, String user, Set<Role> roles) {
        boolean adminGroupExists = engine.listGroups().keySet().stream()
                .anyMatch(group -> ADMIN_GROUP.equals(group.getName()));
        for (Role role : roles) {
            if (role == Role.ADMIN && adminGroupExists) {
                engine.addGroup(user, ADMIN_GROUP);
            } else {
                engine.addRole(user, role.id());
            }
        }
    }

    static Set<Role> rolesOf(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.forEach(name -> Role.of(name).ifPresent(roles::add));
        return roles;
    }
}
