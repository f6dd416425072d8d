package dev.rumor.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Chooses the IP a node announces when none is configured (memberlist {@code FinalAdvertiseAddr}).
 * A wildcard bind cannot be announced, so, like go-sockaddr's {@code GetPrivateIP}, we take the first
 * private IPv4 address of an interface that is up. Unlike memberlist, a host whose only address is
 * loopback advertises loopback (useful in containers and tests); a host with only public addresses
 * must be given an advertise address explicitly, because guessing a public one would leak it.
 */
final class AdvertiseAddress {
    private AdvertiseAddress() {
    }

    static InetAddress choose(InetAddress bound) throws IOException {
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        return choose(interfaceAddresses());
    }

    /** Pure part of the choice, over the addresses of all interfaces that are up, in interface order. */
    static InetAddress choose(List<InetAddress> candidates) throws IOException {
        boolean sawPublic = false;
        for (InetAddress a : candidates) {
            if (a instanceof Inet4Address && isPrivate(a)) {
                return a;
            }
            if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                sawPublic = true;
            }
        }
        if (sawPublic) {
            throw new IOException("No private IP address found, and explicit advertise address not provided");
        }
        return InetAddress.getLoopbackAddress();
    }

    /** RFC 1918 and RFC 6598 (carrier-grade NAT), the ranges go-sockaddr treats as private for IPv4. */
    static boolean isPrivate(InetAddress a) {
        if (a.isSiteLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    private static List<InetAddress> interfaceAddresses() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp()) {
                out.addAll(Collections.list(nif.getInetAddresses()));
            }
        }
        return out;
    }
}
