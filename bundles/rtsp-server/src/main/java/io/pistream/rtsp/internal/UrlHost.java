package io.pistream.rtsp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

import io.pistream.api.net.HostNames;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The host part of the URLs the server announces in logs and the shell. */
final class UrlHost {

    private static final Logger LOG = LoggerFactory.getLogger(UrlHost.class);

    private UrlHost() {
    }

    /** The bound address, or the machine's first LAN address when bound to all; never a name lookup. */
    static String of(ServerSettings settings) {
        if (!settings.wildcard()) {
            return HostNames.forUrl(settings.address());
        }
        try {
            String fallback = null;
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!network.isUp() || network.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        if (address.isSiteLocalAddress()) {
                            return address.getHostAddress();
                        }
                        if (fallback == null && !address.isLinkLocalAddress()) {
                            fallback = address.getHostAddress();
                        }
                    }
                }
            }
            if (fallback != null) {
                return fallback;
            }
        } catch (SocketException e) {
            LOG.debug("Cannot list network interfaces", e);
        }
        return "127.0.0.1";
    }
}
