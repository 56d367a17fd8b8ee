package dev.nsdp.dataplane.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nsdp.dataplane.codec.Checksum;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.testing.Frames;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A worker fed one malformed frame of every kind counts each under its own reason, drops it, keeps
 * switching (the good frame sent after all of them still arrives), and delivers nothing broken.
 */
class MalformedFramesTest {
    static final long DST = MacAddress.BROADCAST;
    static final long SRC = MacAddress.parse("02:00:00:00:00:0a");
    static final int A = Frames.ipv4("198.18.0.1");
    static final int B = Frames.ipv4("198.18.0.2");
    static final byte[] V6A = Frames.ipv6("2001:db8::1");
    static final byte[] V6B = Frames.ipv6("2001:db8::2");

    static Map<DropReason, byte[]> malformed() {
        final Map<DropReason, byte[]> cases = new LinkedHashMap<>();
        final byte[] udp4 = Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1000, 2000, new byte[18]);
        final byte[] udp6 = Frames.udp6(DST, SRC, "2001:db8::1", "2001:db8::2", 1000, 2000, new byte[18]);

        cases.put(DropReason.ETHERNET_TRUNCATED, Arrays.copyOf(udp4, 10));
        cases.put(DropReason.ETHERNET_SOURCE_MULTICAST,
            Frames.udp4(DST, MacAddress.parse("01:00:5e:00:00:01"), "198.18.0.1", "198.18.0.2", 1, 2, new byte[18]));
        cases.put(DropReason.ETHERNET_LENGTH_FIELD, Frames.ethernet(DST, SRC, 0x0100, new byte[46]));
        cases.put(DropReason.VLAN_TRUNCATED, Arrays.copyOf(Frames.tagged(udp4, 0x8100, 10), 16));
        cases.put(DropReason.VLAN_TOO_MANY_TAGS,
            Frames.tagged(Frames.tagged(Frames.tagged(udp4, 0x8100, 30), 0x8100, 20), 0x88A8, 10));

        final byte[] arp = Frames.arpRequest(SRC, "198.18.0.1", "198.18.0.2");
        cases.put(DropReason.ARP_TRUNCATED, Arrays.copyOf(arp, 14 + 20));
        final byte[] arpToken = arp.clone();
        arpToken[15] = 6; // hardware type 6 (IEEE 802), not Ethernet
        cases.put(DropReason.ARP_UNSUPPORTED, arpToken);

        cases.put(DropReason.IPV4_TRUNCATED, Arrays.copyOf(udp4, 14 + 10));
        cases.put(DropReason.IPV4_BAD_VERSION, ipv4Header(udp4, 14, (byte) 0x55));
        cases.put(DropReason.IPV4_BAD_HEADER_LENGTH, ipv4Header(udp4, 14, (byte) 0x44));
        final byte[] shortTotal = udp4.clone();
        shortTotal[16] = 0;
        shortTotal[17] = 10;
        cases.put(DropReason.IPV4_BAD_TOTAL_LENGTH, fixIpv4Checksum(shortTotal));
        final byte[] badSum = udp4.clone();
        badSum[24] ^= 0x5A;
        cases.put(DropReason.IPV4_BAD_CHECKSUM, badSum);
        cases.put(DropReason.IPV4_BAD_OPTIONS, Frames.ethernet(DST, SRC, 0x0800, ipv4WithOptions(new byte[] {7, 0, 0, 0})));

        cases.put(DropReason.IPV6_TRUNCATED, Arrays.copyOf(udp6, 14 + 30));
        final byte[] v6version = udp6.clone();
        v6version[14] = 0x40;
        cases.put(DropReason.IPV6_BAD_VERSION, v6version);
        // A hop-by-hop header claiming 8 * (1 + 9) bytes in a 16-byte payload.
        cases.put(DropReason.IPV6_BAD_EXTENSION_HEADER, Frames.ethernet(DST, SRC, 0x86DD,
            Frames.ipv6Packet(V6A, V6B, 0, new byte[] {17, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})));

        cases.put(DropReason.ICMP_TRUNCATED, Frames.ethernet(DST, SRC, 0x0800, Frames.ipv4Packet(A, B, 1, new byte[2])));
        cases.put(DropReason.ICMPV6_TRUNCATED, Frames.ethernet(DST, SRC, 0x86DD, Frames.ipv6Packet(V6A, V6B, 58, new byte[2])));
        cases.put(DropReason.UDP_TRUNCATED, Frames.ethernet(DST, SRC, 0x0800, Frames.ipv4Packet(A, B, 17, new byte[4])));
        final byte[] udpLength = udp4.clone();
        udpLength[14 + 20 + 5] += 2; // UDP length beyond the IP payload
        cases.put(DropReason.UDP_BAD_LENGTH, udpLength);
        cases.put(DropReason.TCP_TRUNCATED, Frames.ethernet(DST, SRC, 0x0800, Frames.ipv4Packet(A, B, 6, new byte[10])));
        final byte[] tcp = Frames.tcp4Syn(DST, SRC, "198.18.0.1", "198.18.0.2", 1000, 80, 1);
        tcp[14 + 20 + 12] = 0x40; // data offset 4 words: below the 20-byte minimum
        cases.put(DropReason.TCP_BAD_DATA_OFFSET, tcp);
        return cases;
    }

    @Test
    void everyMalformationIsCountedUnderItsReasonAndDropped() {
        final Map<DropReason, byte[]> cases = malformed();
        try (SwitchHarness h = new SwitchHarness()) {
            h.proxy.namespaceCreated(1, Level.L2, NamespaceSettings.DEFAULTS);
            h.attach("a", 0, 1);
            h.attach("b", 1, 1);
            h.run();
            for (final Map.Entry<DropReason, byte[]> c : cases.entrySet()) {
                final long before = h.counters().drops(c.getKey());
                final long totalBefore = h.counters().totalDrops();
                h.send("a", c.getValue());
                h.run();
                assertEquals(before + 1, h.counters().drops(c.getKey()), c.getKey() + ": " + Frames.hex(c.getValue()));
                assertEquals(totalBefore + 1, h.counters().totalDrops(), c.getKey() + " counted once, under one reason");
                assertEquals(0, h.received("b").size(), c.getKey() + " must not be forwarded");
            }
            assertEquals(cases.size(), h.counters().portDrops(h.port("a")));

            final byte[] good = Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, new byte[18]);
            h.send("a", good);
            h.run();
            assertEquals(1, h.received("b").size(), "the worker keeps switching after all of that");
        }
    }

    /** The covered reasons are every malformation reason the parser has (L2 to L4). */
    @Test
    void everyParserReasonHasACase() {
        final Map<DropReason, byte[]> cases = malformed();
        for (final DropReason r : DropReason.values()) {
            if (r.ordinal() > DropReason.NONE.ordinal() && r.ordinal() <= DropReason.TCP_BAD_DATA_OFFSET.ordinal()) {
                assertEquals(true, cases.containsKey(r), "no malformed-frame case for " + r);
            }
        }
    }

    private static byte[] ipv4Header(final byte[] frame, final int at, final byte versionIhl) {
        final byte[] copy = frame.clone();
        copy[at] = versionIhl;
        return fixIpv4Checksum(copy);
    }

    private static byte[] fixIpv4Checksum(final byte[] frame) {
        frame[24] = 0;
        frame[25] = 0;
        final int sum = Checksum.compute(new UnsafeBuffer(frame), 14, (frame[14] & 0xF) * 4);
        frame[24] = (byte) (sum >>> 8);
        frame[25] = (byte) sum;
        return frame;
    }

    /** An IPv4 header with the given option bytes (a multiple of 4) and a valid checksum, UDP inside. */
    private static byte[] ipv4WithOptions(final byte[] options) {
        final byte[] plain = Frames.ipv4Packet(A, B, 17, new byte[8]);
        final byte[] packet = new byte[plain.length + options.length];
        System.arraycopy(plain, 0, packet, 0, 20);
        System.arraycopy(options, 0, packet, 20, options.length);
        System.arraycopy(plain, 20, packet, 20 + options.length, 8);
        packet[0] = (byte) (0x40 | (5 + options.length / 4));
        packet[3] = (byte) packet.length;
        packet[10] = 0;
        packet[11] = 0;
        final int sum = Checksum.compute(new UnsafeBuffer(packet), 0, 20 + options.length);
        packet[10] = (byte) (sum >>> 8);
        packet[11] = (byte) sum;
        return packet;
    }
}
