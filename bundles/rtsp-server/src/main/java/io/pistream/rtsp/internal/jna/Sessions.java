package io.pistream.rtsp.internal.jna;

import java.util.function.Predicate;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGLib;
import io.pistream.gstreamer.jna.LibGObject;

/**
 * Server-side teardown of sessions, and the periodic expiry of sessions whose client went silent. The filter
 * callbacks are called synchronously on the calling thread, so their per-call state lives in a thread local.
 */
public final class Sessions {

    private static final class FilterRun {
        final Predicate<Pointer> mediaToRemove;
        int removed;
        int kept;

        FilterRun(Predicate<Pointer> mediaToRemove) {
            this.mediaToRemove = mediaToRemove;
        }
    }

    private static final ThreadLocal<FilterRun> RUN = new ThreadLocal<>();

    private static final RtspLib.SessionFilter SESSION_MEDIA_FILTER = (session, sessionMedia, userData) -> {
        FilterRun run = RUN.get();
        Pointer media = RtspLib.Server.gst_rtsp_session_media_get_media(sessionMedia);
        if (run != null && media != null && run.mediaToRemove.test(media)) {
            run.removed++;
            return RtspLib.FILTER_REMOVE;
        }
        if (run != null) {
            run.kept++;
        }
        return RtspLib.FILTER_KEEP;
    };

    private static final RtspLib.ClientFilter CLOSE_EVERY_CLIENT = (server, client, userData) -> RtspLib.FILTER_REMOVE;

    private static final LibGLib.SourceFunc EXPIRE_SESSIONS = pool -> {
        RtspLib.Server.gst_rtsp_session_pool_cleanup(pool);
        return true;
    };

    static {
        for (Callback callback : new Callback[] {SESSION_MEDIA_FILTER, CLOSE_EVERY_CLIENT, EXPIRE_SESSIONS}) {
            Native.setCallbackThreadInitializer(callback, new CallbackThreadInitializer(true, false, "rtsp-native"));
        }
    }

    private Sessions() {
    }

    /**
     * Ends, on the server side, every session media whose media matches; a session left without media is removed
     * from the pool. The media of an ended session media is unprepared once no other session uses it.
     *
     * @return how many session medias were ended
     */
    public static int endMedias(Pointer pool, Predicate<Pointer> mediaToRemove) {
        Pointer list = RtspLib.Server.gst_rtsp_session_pool_filter(pool, null, null);
        int removed = 0;
        try {
            for (Pointer link = list; link != null; link = link.getPointer(Native.POINTER_SIZE)) {
                Pointer session = link.getPointer(0);
                FilterRun run = new FilterRun(mediaToRemove);
                RUN.set(run);
                try {
                    RtspLib.Server.gst_rtsp_session_filter(session, SESSION_MEDIA_FILTER, null);
                } finally {
                    RUN.remove();
                }
                removed += run.removed;
                if (run.removed > 0 && run.kept == 0) {
                    RtspLib.Server.gst_rtsp_session_pool_remove(pool, session);
                }
            }
        } finally {
            for (Pointer link = list; link != null; link = link.getPointer(Native.POINTER_SIZE)) {
                LibGObject.g_object_unref(link.getPointer(0));
            }
            if (list != null) {
                LibGLib.g_list_free(list);
            }
        }
        return removed;
    }

    /** Removes a session from the pool (its medias are released); false when it is already gone. */
    public static boolean remove(Pointer pool, String sessionId) {
        Pointer session = RtspLib.Server.gst_rtsp_session_pool_find(pool, sessionId);
        if (session == null) {
            return false;
        }
        try {
            return RtspLib.Server.gst_rtsp_session_pool_remove(pool, session);
        } finally {
            LibGObject.g_object_unref(session);
        }
    }

    /** Closes the connection of every client of {@code server}. */
    public static void closeAllClients(Pointer server) {
        RtspLib.Server.gst_rtsp_server_client_filter(server, CLOSE_EVERY_CLIENT, null);
    }

    /**
     * A timer source expiring the sessions of {@code pool} whose client stopped sending keep-alives (RTCP or
     * RTSP); attach it to a context, destroy and unref it before releasing the pool.
     */
    public static Pointer newExpiryTimer(Pointer pool, int intervalMillis) {
        Pointer source = LibGLib.g_timeout_source_new(intervalMillis);
        LibGLib.g_source_set_callback(source, EXPIRE_SESSIONS, pool, null);
        return source;
    }
}
