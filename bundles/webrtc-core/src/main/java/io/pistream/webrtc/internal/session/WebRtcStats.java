package io.pistream.webrtc.internal.session;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.Promises;

/**
 * What webrtcbin's {@code get-stats} says about what a session sent and what the viewer reported back.
 *
 * @param fractionLost the highest share of packets lost that the viewer's last receiver reports give (RTCP's
 *                     fraction lost, over the time since its report before), 0 to 1; -1 when nothing was reported
 * @param reportedPacketsLost the packets the viewer's reports count lost
 * @param reportedPacketsSent the packets sent on the streams the viewer reports on (its losses count against
 *                            these; retransmissions go on a stream of their own, which it does not report on)
 */
public record WebRtcStats(long bytesSent, long packetsSent, long packetsLost, double roundTripSeconds,
        long bytesReceived, long packetsReceived, double fractionLost, long reportedPacketsLost,
        long reportedPacketsSent) {

    /** get-stats for the whole webrtcbin. */
    public static CompletableFuture<WebRtcStats> request(Pointer webrtcbin, ScheduledExecutorService timer,
            long timeoutMillis) {
        return Promises.request(webrtcbin, "get-stats", null, WebRtcStats::readStats, timer, timeoutMillis);
    }

    private static WebRtcStats readStats(Pointer reply) {
        long bytesSent = 0;
        long packetsSent = 0;
        long packetsLost = 0;
        double rtt = -1;
        long bytesReceived = 0;
        long packetsReceived = 0;
        double fractionLost = -1;
        long reportedPacketsLost = 0;
        Map<Integer, Long> sentBySsrc = new HashMap<>();
        Set<Integer> reportedSsrcs = new HashSet<>();
        if (reply == null) {
            return new WebRtcStats(0, 0, 0, -1, 0, 0, -1, 0, 0);
        }
        long structureType = LibGst.gst_structure_get_type().longValue();
        int fields = LibGst.gst_structure_n_fields(reply);
        for (int i = 0; i < fields; i++) {
            Pointer value = LibGst.gst_structure_get_value(reply, LibGst.gst_structure_nth_field_name(reply, i));
            // GValue starts with its GType (a gsize)
            if (value == null || Native.SIZE_T_SIZE == 8 && value.getLong(0) != structureType
                    || Native.SIZE_T_SIZE == 4 && (value.getInt(0) & 0xffffffffL) != structureType) {
                continue;
            }
            Pointer stat = LibGObject.g_value_get_boxed(value);
            Pointer typeValue = stat == null ? null : LibGst.gst_structure_get_value(stat, "type");
            if (typeValue == null) {
                continue;
            }
            // GstWebRTCStatsType: codec 1, inbound-rtp 2, outbound-rtp 3, remote-inbound-rtp 4, remote-outbound 5
            int type = LibGObject.g_value_get_enum(typeValue);
            if (type == 3) {
                bytesSent += uint64(stat, "bytes-sent");
                long sent = uint64(stat, "packets-sent");
                packetsSent += sent;
                IntByReference ssrc = new IntByReference();
                if (LibGst.gst_structure_get_uint(stat, "ssrc", ssrc)) {
                    sentBySsrc.merge(ssrc.getValue(), sent, Long::sum);
                }
            } else if (type == 4) {
                IntByReference ssrc = new IntByReference();
                if (LibGst.gst_structure_get_uint(stat, "ssrc", ssrc)) {
                    reportedSsrcs.add(ssrc.getValue());
                }
                // the viewer's count as it stands, below 0 too: packets that arrived twice (one sent again while the
                // first was late) lower it, and a count held at 0 would hide the losses that follow
                long lost = reportedLost(stat);
                packetsLost += Math.max(0, lost);
                reportedPacketsLost += lost;
                DoubleByReference roundTrip = new DoubleByReference();
                if (LibGst.gst_structure_get_double(stat, "round-trip-time", roundTrip)) {
                    rtt = Math.max(rtt, roundTrip.getValue());
                }
                DoubleByReference fraction = new DoubleByReference();
                if (LibGst.gst_structure_get_double(stat, "fraction-lost", fraction)) {
                    fractionLost = Math.max(fractionLost, fraction.getValue());
                }
            } else if (type == 2) {
                bytesReceived += uint64(stat, "bytes-received");
                packetsReceived += uint64(stat, "packets-received");
                packetsLost += packetsLost(stat);
            }
        }
        long reportedPacketsSent = 0;
        for (int ssrc : reportedSsrcs) {
            reportedPacketsSent += sentBySsrc.getOrDefault(ssrc, 0L);
        }
        return new WebRtcStats(bytesSent, packetsSent, packetsLost, rtt, bytesReceived, packetsReceived,
                fractionLost, reportedPacketsLost, reportedPacketsSent);
    }

    /** A stream's packets lost, 0 when not given or negative (duplicates can make the count go below 0). */
    private static long packetsLost(Pointer stat) {
        return Math.max(0, reportedLost(stat));
    }

    /** A stream's packets lost as given, which may be below 0; 0 when not given. */
    private static long reportedLost(Pointer stat) {
        LongByReference lost = new LongByReference();
        IntByReference lostInt = new IntByReference();
        if (LibGst.gst_structure_get_int64(stat, "packets-lost", lost)) {
            return lost.getValue();
        }
        if (LibGst.gst_structure_get_int(stat, "packets-lost", lostInt)) {
            return lostInt.getValue();
        }
        return 0;
    }

    private static long uint64(Pointer structure, String field) {
        LongByReference value = new LongByReference();
        return LibGst.gst_structure_get_uint64(structure, field, value) ? value.getValue() : 0;
    }
}
