package io.pistream.gstreamer.jna;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * libgobject-2.0, direct mapping, plus {@link #VARIADIC} for the functions with C varargs, which direct mapping
 * cannot call. Callbacks passed here must stay strongly referenced while native code may call them: connect
 * signals through {@link Signals}, whose callbacks are never collected.
 */
public final class LibGObject {

    static {
        Native.register(LibGObject.class, NativeLibrary.getInstance("gobject-2.0"));
    }

    /** The variadic functions of the same library (interface mapping; slower, never on the per-buffer path). */
    public interface Variadic extends Library {
        void g_signal_emit_by_name(Pointer instance, String signal, Object... arguments);

        /** Property name, value, then {@code null}. */
        void g_object_set(Pointer object, String property, Object... valueThenNull);

        /** Property name, location, then {@code null}. */
        void g_object_get(Pointer object, String property, Object... locationThenNull);
    }

    public static final Variadic VARIADIC = Native.load("gobject-2.0", Variadic.class);

    private LibGObject() {
    }

    public static native Pointer g_object_ref(Pointer object);

    public static native void g_object_unref(Pointer object);

    public static native NativeLong g_signal_connect_data(Pointer instance, String signal, Callback handler,
            Pointer data, Pointer destroyData, int flags);

    public static native void g_signal_handler_disconnect(Pointer instance, NativeLong handlerId);

    public static native void g_object_weak_ref(Pointer object, Signals.WeakNotifyCallback notify, Pointer data);

    /** {@code weakRef} points to pointer-sized memory that outlives the object or is cleared. */
    public static native void g_weak_ref_init(Pointer weakRef, Pointer object);

    /** A strong reference (to unref) or null once the object is being disposed. */
    public static native Pointer g_weak_ref_get(Pointer weakRef);

    public static native Pointer g_value_get_boxed(Pointer value);

    /** The name of a GType (static, never freed). */
    public static native String g_type_name(NativeLong type);

    /** The type name of a GObject instance: its class's GType, read where GTypeInstance keeps it. */
    public static String typeName(Pointer instance) {
        Pointer typeClass = instance.getPointer(0);
        long type = Native.SIZE_T_SIZE == 8 ? typeClass.getLong(0) : typeClass.getInt(0) & 0xffffffffL;
        return g_type_name(new NativeLong(type));
    }

    public static native int g_value_get_enum(Pointer value);

    /** The GParamSpec of a property of a GObject class, or null when the class has no such property. */
    public static native Pointer g_object_class_find_property(Pointer objectClass, String property);

    /** Whether a GObject instance has the property {@code property} (asking for an unknown one only warns). */
    public static boolean hasProperty(Pointer instance, String property) {
        return g_object_class_find_property(instance.getPointer(0), property) != null;
    }
}
