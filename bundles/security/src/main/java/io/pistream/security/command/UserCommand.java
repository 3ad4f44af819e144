package io.pistream.security.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pistream.api.security.Accounts;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/** Users of every door: they live in Karaf's JAAS realm, so jaas:* sees them too. */
@Service
@Command(scope = "pistream", name = "user", description = "Adds, lists and removes users, and sets passwords",
        detailedDescription = "pistream:user add NAME [--role viewer|talk|admin]... prints a generated password\n"
                + "pistream:user list\npistream:user remove NAME\n"
                + "pistream:user password NAME [--password P] (generated when not given)")
public class UserCommand implements Action {

    @Reference
    Accounts accounts;

    @Argument(index = 0, name = "action", description = "add, list, remove or password", required = true)
    @Completion(values = {"add", "list", "remove", "password"}, value = StringsCompleter.class)
    String action;

    @Argument(index = 1, name = "name", description = "User name (lower-case letters, digits, . _ -)")
    String name;

    @Option(name = "-r", aliases = "--role", description = "viewer (watch), talk (send audio/video to the device), "
            + "admin (everything); repeat or separate with commas; default viewer", multiValued = true)
    List<String> roles;

    @Option(name = "-p", aliases = "--password", description = "The new password (password action); "
            + "generated when not given")
    String password;

    @Argument(index = 2, name = "options", description = "--role and --password may also follow the name",
            multiValued = true)
    List<String> trailing;

    @Override
    public Object execute() {
        Map<String, List<String>> more = TrailingOptions.parse(trailing, Map.of("-r", "role", "--role", "role",
                "-p", "password", "--password", "password"));
        if (more.containsKey("role")) {
            roles = new ArrayList<>(roles == null ? List.of() : roles);
            roles.addAll(more.get("role"));
        }
        if (more.containsKey("password")) {
            password = more.get("password").get(more.get("password").size() - 1);
        }
        switch (action) {
            case "list" -> {
                ShellTable table = new ShellTable();
                table.column("User");
                table.column("Roles");
                table.column("Password");
                accounts.users().forEach(user -> table.addRow().addContent(user.name(),
                        RoleOptions.format(user.roles()),
                        user.initialPassword() ? "generated, in etc/admin.password: change it" : "set"));
                table.print(System.out);
            }
            case "add" -> {
                String generated = accounts.addUser(required(), RoleOptions.parse(roles, io.pistream.api.security.Role.VIEWER));
                System.out.println("User '" + name + "' added. Password:");
                System.out.println(generated);
            }
            case "remove" -> {
                if (!accounts.removeUser(required())) {
                    throw new IllegalArgumentException("No user '" + name + "'");
                }
                System.out.println("User '" + name + "' removed");
            }
            case "password" -> {
                String set = accounts.setPassword(required(), password);
                if (password == null) {
                    System.out.println("New password of '" + name + "':");
                    System.out.println(set);
                } else {
                    System.out.println("Password of '" + name + "' changed");
                }
            }
            default -> throw new IllegalArgumentException("Unknown action '" + action
                    + "': use add, list, remove or password");
        }
        return null;
    }

    private String required() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("pistream:user " + action + " needs a user name");
        }
        return name;
    }
}
