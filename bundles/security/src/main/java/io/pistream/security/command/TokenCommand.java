package io.pistream.security.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pistream.api.security.Accounts;
import io.pistream.api.security.Accounts.IssuedToken;
import io.pistream.api.security.Role;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/** Signed tokens for programs ({@code Authorization: Bearer}, {@code ?token=}): made, listed, revoked. */
@Service
@Command(scope = "pistream", name = "token", description = "Creates, lists and revokes tokens for programs",
        detailedDescription = "pistream:token create [--role viewer|talk|admin]... [--days N] [--label L]: the token "
                + "is printed alone on the last line\npistream:token list\npistream:token revoke ID")
public class TokenCommand implements Action {

    @Reference
    Accounts accounts;

    @Argument(index = 0, name = "action", description = "create, list or revoke", required = true)
    @Completion(values = {"create", "list", "revoke"}, value = StringsCompleter.class)
    String action;

    /** The token to revoke: the first of the arguments after the action. */
    private String id;

    @Option(name = "-r", aliases = "--role", description = "viewer, talk, admin; repeat or separate with commas; "
            + "default viewer", multiValued = true)
    List<String> roles;

    @Option(name = "-d", aliases = "--days", description = "Lifetime in days (default 365)")
    int days = 365;

    @Option(name = "-l", aliases = "--label", description = "Who or what the token is for (default: program)")
    String label = "program";

    @Argument(index = 1, name = "options", description = "--role, --days and --label may also follow the action",
            multiValued = true)
    List<String> trailing;

    @Override
    public Object execute() {
        List<String> rest = trailing == null ? List.of() : trailing;
        if ("revoke".equals(action) && !rest.isEmpty()) {
            id = rest.get(0);
            rest = rest.subList(1, rest.size());
        }
        Map<String, List<String>> more = TrailingOptions.parse(rest, Map.of("-r", "role", "--role", "role",
                "-d", "days", "--days", "days", "-l", "label", "--label", "label"));
        if (more.containsKey("role")) {
            roles = new ArrayList<>(roles == null ? List.of() : roles);
            roles.addAll(more.get("role"));
        }
        if (more.containsKey("days")) {
            try {
                days = Integer.parseInt(more.get("days").get(0));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--days takes a number of days, not " + more.get("days").get(0));
            }
        }
        if (more.containsKey("label")) {
            label = more.get("label").get(0);
        }
        switch (action) {
            case "create" -> {
                IssuedToken token = accounts.createToken(label, RoleOptions.parse(roles, Role.VIEWER),
                        Duration.ofDays(days));
                System.out.println("Token " + token.id() + " for '" + label + "', valid until " + token.expires() + ":");
                System.out.println(token.token());
            }
            case "list" -> {
                ShellTable table = new ShellTable();
                table.column("Id");
                table.column("Label");
                table.column("Roles");
                table.column("Issued");
                table.column("Expires");
                table.column("State");
                accounts.tokens().forEach(token -> table.addRow().addContent(token.id(), token.label(),
                        RoleOptions.format(token.roles()), token.issued(), token.expires(),
                        token.revoked() ? "revoked" : "valid"));
                table.print(System.out);
            }
            case "revoke" -> {
                if (id == null || !accounts.revokeToken(id)) {
                    throw new IllegalArgumentException("No token '" + id + "' (see pistream:token list)");
                }
                System.out.println("Token " + id + " revoked");
            }
            default -> throw new IllegalArgumentException("Unknown action '" + action + "': use create, list or revoke");
        }
        return null;
    }
}
