package io.pistream.security.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Options written after the arguments ({@code pistream:user add bob --role talk}): Karaf's shell reads options
 * only before the first argument, so the commands collect what follows and read it here.
 */
final class TrailingOptions {

    private TrailingOptions() {
    }

    /**
     * @param names each accepted spelling mapped to the option's long name ({@code -r} and {@code --role} to role)
     * @return long name to its values, in order
     */
    static Map<String, List<String>> parse(List<String> rest, Map<String, String> names) {
        Map<String, List<String>> values = new java.util.LinkedHashMap<>();
        if (rest == null) {
            return values;
        }
        for (int i = 0; i < rest.size(); i++) {
            String token = rest.get(i);
            String value = null;
            int equals = token.indexOf('=');
            if (token.startsWith("-") && equals > 0) {
                value = token.substring(equals + 1);
                token = token.substring(0, equals);
            }
            String name = names.get(token);
            if (name == null) {
                throw new IllegalArgumentException("Unexpected '" + rest.get(i) + "'; options: " + names.keySet());
            }
            if (value == null) {
                if (i + 1 >= rest.size()) {
                    throw new IllegalArgumentException("Option " + token + " needs a value");
                }
                value = rest.get(++i);
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return values;
    }
}
