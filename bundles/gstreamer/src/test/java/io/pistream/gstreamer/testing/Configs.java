package io.pistream.gstreamer.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Typed configurations ({@code @ObjectClassDefinition} annotations) built from key/value pairs the way
 * Declarative Services does: {@code camera$_$name} reads key {@code camera-name}, {@code linger_seconds} reads
 * {@code linger.seconds}; missing keys take the annotation's default.
 */
public final class Configs {

    private Configs() {
    }

    public static <T> T of(Class<T> type, Map<String, ?> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? type.getSimpleName() + values : method.invoke(values, args);
            }
            Object value = values.get(key(method));
            return value == null ? method.getDefaultValue() : convert(value, method.getReturnType());
        });
        return type.cast(proxy);
    }

    static String key(Method method) {
        return method.getName().replace("$_$", "-").replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    private static Object convert(Object value, Class<?> target) {
        String text = value.toString();
        if (target == int.class) {
            return Integer.parseInt(text);
        }
        if (target == long.class) {
            return Long.parseLong(text);
        }
        if (target == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        return text;
    }
}
