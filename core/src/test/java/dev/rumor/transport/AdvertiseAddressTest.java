package dev.rumor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertiseAddressTest {

    private static InetAddress ip(String s) throws IOException {
        return InetAddress.getByName(s);
    }

    @Test
    void specificBindAddressIsAdvertisedAsIs() throws IOException {
        assertEquals(ip("127.0.0.2"), AdvertiseAddress.choose(ip("127.0.0.2")));
    }

    @Test
    void wildcardPicksFirstPrivateIpv4SkippingLoopbackAndIpv6() throws IOException {
        InetAddress chosen = AdvertiseAddress.choose(List.of(ip("127.0.0.1"), ip("fe80::1"), ip("fd00::5"),
                ip("192.168.7.9"), ip("10.1.2.3")));
        assertEquals(ip("192.168.7.9"), chosen);
    }

    @Test
    void wildcardFallsBackToLoopbackWhenThatIsAllThereIs() throws IOException {
        assertEquals(InetAddress.getLoopbackAddress(), AdvertiseAddress.choose(List.of(ip("127.0.0.1"), ip("::1"))));
    }

    @Test
    void onlyPublicAddressesNeedAnExplicitAdvertiseAddress() throws IOException {
        assertThrows(IOException.class, () -> AdvertiseAddress.choose(List.of(ip("127.0.0.1"), ip("8.8.4.4"))));
    }

    @Test
    void privateRangesMatchGoSockaddr() throws IOException {
        assertTrue(AdvertiseAddress.isPrivate(ip("10.0.0.1")));
        assertTrue(AdvertiseAddress.isPrivate(ip("172.31.255.1")));
        assertTrue(AdvertiseAddress.isPrivate(ip("192.168.0.1")));
        assertTrue(AdvertiseAddress.isPrivate(ip("100.64.0.1")));
        assertTrue(AdvertiseAddress.isPrivate(ip("100.127.255.254")));
        assertFalse(AdvertiseAddress.isPrivate(ip("100.128.0.1")));
        assertFalse(AdvertiseAddress.isPrivate(ip("172.32.0.1")));
        assertFalse(AdvertiseAddress.isPrivate(ip("8.8.8.8")));
    }
}
