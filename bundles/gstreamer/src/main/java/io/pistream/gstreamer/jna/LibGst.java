package io.pistream.gstreamer.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * libgstreamer-1.0, direct mapping: the functions pistream calls without going through gst1-java-core (on the
 * per-buffer path, or where gst1-java-core 1.4 has no wrapper). Ownership follows the C API: "transfer full"
 * results belong to the caller and must be released.
 */
public final class LibGst {

    static {
        Native.register(LibGst.class, NativeLibrary.getInstance("gstreamer-1.0"));
    }

    private LibGst() {
    }

    // --- mini objects, samples, buffers -------------------------------------------------------------------------

    public static native Pointer gst_mini_object_ref(Pointer object);

    public static native void gst_mini_object_unref(Pointer object);

    /** Transfer full: the object itself when the caller held the only reference, else a copy. */
    public static native Pointer gst_mini_object_make_writable(Pointer object);

    public static native Pointer gst_sample_get_buffer(Pointer sample);

    public static native Pointer gst_sample_get_caps(Pointer sample);

    public static native NativeLong gst_buffer_get_size(Pointer buffer);

    public static native Pointer gst_buffer_copy_region(Pointer buffer, int flags, NativeLong offset, NativeLong size);

    public static native NativeLong gst_buffer_extract(Pointer buffer, NativeLong offset, byte[] destination,
            NativeLong size);

    public static native boolean gst_buffer_map(Pointer buffer, Pointer info, int flags);

    public static native void gst_buffer_unmap(Pointer buffer, Pointer info);

    // --- caps and structures --------------------------------------------------------------------------------------

    public static native Pointer gst_caps_from_string(String caps);

    /** Transfer full: free with {@code g_free}. */
    public static native Pointer gst_caps_to_string(Pointer caps);

    public static native boolean gst_caps_is_equal(Pointer caps1, Pointer caps2);

    public static native Pointer gst_caps_get_structure(Pointer caps, int index);

    public static native NativeLong gst_structure_get_type();

    public static native Pointer gst_structure_get_value(Pointer structure, String field);

    public static native boolean gst_structure_has_field(Pointer structure, String field);

    public static native int gst_structure_n_fields(Pointer structure);

    public static native String gst_structure_nth_field_name(Pointer structure, int index);

    public static native String gst_structure_get_name(Pointer structure);

    public static native boolean gst_structure_get_uint64(Pointer structure, String field, LongByReference value);

    public static native boolean gst_structure_get_int64(Pointer structure, String field, LongByReference value);

    public static native boolean gst_structure_get_double(Pointer structure, String field, DoubleByReference value);

    public static native boolean gst_structure_get_int(Pointer structure, String field, IntByReference value);

    public static native boolean gst_structure_get_uint(Pointer structure, String field, IntByReference value);

    public static native String gst_structure_get_string(Pointer structure, String field);

    /** Transfer full: free with {@code g_free}. */
    public static native Pointer gst_structure_to_string(Pointer structure);

    /** Transfer full: free with {@link #gst_structure_free}, or give to a function that takes ownership; null when
     * the text does not parse. */
    public static native Pointer gst_structure_new_from_string(String text);

    public static native void gst_structure_free(Pointer structure);

    // --- objects, elements, pads, events, messages ----------------------------------------------------------------

    public static native Pointer gst_object_ref(Pointer object);

    public static native void gst_object_unref(Pointer object);

    /**
     * Transfer full; null at the top. Walking up with this rather than gst1-java-core's {@code getParent()} matters for
     * pipelines other code owns: gst1-java-core wraps a pipeline with a bus handler that takes every message off that
     * bus, so the owner's watch would never see one again.
     */
    public static native Pointer gst_object_get_parent(Pointer object);

    /** Returns a {@code GstStateChangeReturn}; {@code timeout} in nanoseconds, 0 to not wait. */
    public static native int gst_element_get_state(Pointer element, IntByReference state, IntByReference pending,
            long timeout);

    /** Returns a {@code GstStateChangeReturn}. */
    public static native int gst_element_set_state(Pointer element, int state);

    public static native long gst_element_get_base_time(Pointer element);

    /** Transfer full; null while the element has no clock. */
    public static native Pointer gst_element_get_clock(Pointer element);

    public static native long gst_clock_get_time(Pointer clock);

    /** Transfer full. */
    public static native Pointer gst_system_clock_obtain();

    /** What a pipeline does to its elements before it plays; does not take {@code clock}. */
    public static native boolean gst_element_set_clock(Pointer element, Pointer clock);

    /** Transfer full. */
    public static native Pointer gst_bin_get_by_name(Pointer bin, String name);

    public static native Pointer gst_debug_bin_to_dot_data(Pointer bin, int details);

    /** Transfer full. */
    public static native Pointer gst_element_request_pad_simple(Pointer element, String name);

    /** Transfer full. */
    public static native Pointer gst_element_get_static_pad(Pointer element, String name);

    public static native void gst_element_release_request_pad(Pointer element, Pointer pad);

    /** Takes ownership of {@code event}. */
    public static native boolean gst_element_send_event(Pointer element, Pointer event);

    /** Takes ownership of {@code message}. */
    public static native boolean gst_element_post_message(Pointer element, Pointer message);

    /** Transfer full; null when the pad has not negotiated. */
    public static native Pointer gst_pad_get_current_caps(Pointer pad);

    public static native int gst_pad_link(Pointer source, Pointer sink);

    /** A {@code GstTaskState} of the pad's streaming task: 0 started, 1 stopped, 2 paused. */
    public static native int gst_pad_get_task_state(Pointer pad);

    /** The {@code GstFlowReturn} of the pad's last push: 0 ok, -1 not linked, -2 flushing, -3 EOS, -4 not negotiated. */
    public static native int gst_pad_get_last_flow_return(Pointer pad);

    /** Takes ownership of {@code event}: the pad receives it as if from its peer. */
    public static native boolean gst_pad_send_event(Pointer pad, Pointer event);

    public static native NativeLong gst_pad_add_probe(Pointer pad, int mask, Signals.ProbeCallback callback,
            Pointer userData, Pointer destroyNotify);

    public static native Pointer gst_pad_probe_info_get_event(Pointer info);

    public static native Pointer gst_pad_probe_info_get_buffer(Pointer info);

    public static native Pointer gst_event_new_eos();

    /** {@code GST_EVENT_CUSTOM_UPSTREAM}: an application's event that travels upstream. */
    public static final int EVENT_CUSTOM_UPSTREAM = (270 << 8) | 1;

    /** Takes ownership of {@code structure}; transfer full. */
    public static native Pointer gst_event_new_custom(int type, Pointer structure);

    /** Copies {@code error}. */
    public static native Pointer gst_message_new_error(Pointer source, Pointer error, String debug);

    public static native int gst_resource_error_quark();

    // --- promises ---------------------------------------------------------------------------------------------------

    public static native Pointer gst_promise_new_with_change_func(Promises.ChangeCallback func, Pointer userData,
            Pointer destroyNotify);

    public static native int gst_promise_wait(Pointer promise);

    /** Transfer none: owned by the promise. */
    public static native Pointer gst_promise_get_reply(Pointer promise);

    public static native void gst_promise_interrupt(Pointer promise);

    // --- runtime ----------------------------------------------------------------------------------------------------

    /** Whether GStreamer traps SIGSEGV while loading plugins; must be off inside a JVM (see GstInit). */
    public static native void gst_segtrap_set_enabled(boolean enabled);
}
