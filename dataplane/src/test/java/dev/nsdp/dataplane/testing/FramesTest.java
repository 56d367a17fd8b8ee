package dev.nsdp.dataplane.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fixture builders against bytes scapy 2.5.0 produced for the same frames (generated once with
 * /usr/bin/python3 and pasted here; the full scapy comparison lives in ScapyFixturesTest).
 */
class FramesTest {
    private static final long DST = Frames.mac("02:00:00:00:00:02");
    private static final long SRC = Frames.mac("02:00:00:00:00:01");
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    private static void assertFrame(final String scapyHex, final byte[] actual) {
        assertEquals(scapyHex, Frames.hex(actual));
    }

    @Test
    void udp4MatchesScapy() {
        assertFrame("020000000002020000000001080045000021000100004011eea3c6120001c612000204d2162e000d14da68656c6c6f",
            Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, HELLO));
        assertFrame("020000000002020000000001080045000021000100004011eea3c6120001c612000204d2162e000d14da68656c6c6f",
            Frames.udp4(DST, SRC, 0xC6120001, 0xC6120002, 1234, 5678, HELLO));
    }

    @Test
    void taggedUdp4MatchesScapy() {
        assertFrame("02000000000202000000000181000064080045000021000100004011eea3c6120001c612000204d2162e000d14da68656c6c6f",
            Frames.udp4Tagged(100, DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, HELLO));
        assertFrame("02000000000202000000000188a8000a81000014080045000021000100004011eea3c6120001c612000204d2162e000d14da68656c6c6f",
            Frames.udp4QinQ(10, 20, DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 5678, HELLO));
    }

    @Test
    void udp6MatchesScapy() {
        assertFrame("02000000000202000000000186dd60000000000d114020010db800000000000000000000000120010db8000000000000000000000002"
                + "04d2162e000d458d68656c6c6f",
            Frames.udp6(DST, SRC, "2001:db8::1", "2001:db8::2", 1234, 5678, HELLO));
    }

    @Test
    void arpMatchesScapy() {
        assertFrame("ffffffffffff02000000000108060001080006040001020000000001c6120001000000000000c6120002",
            Frames.arpRequest(SRC, "198.18.0.1", "198.18.0.2"));
        assertFrame("02000000000202000000000108060001080006040002020000000001c6120001020000000002c6120002",
            Frames.arpReply(SRC, "198.18.0.1", DST, "198.18.0.2"));
    }

    @Test
    void icmpAndTcpMatchScapy() {
        assertFrame("020000000002020000000001080045000021000100004001eeb3c6120001c61200020800b41d0007000968656c6c6f",
            Frames.icmpEchoRequest4(DST, SRC, "198.18.0.1", "198.18.0.2", 7, 9, HELLO));
        assertFrame("02000000000202000000000186dd60000000000d3a4020010db800000000000000000000000120010db8000000000000000000000002"
                + "8000e0600007000968656c6c6f",
            Frames.icmpv6EchoRequest(DST, SRC, "2001:db8::1", "2001:db8::2", 7, 9, HELLO));
        assertFrame("020000000002020000000001080045000028000100004006eea7c6120001c612000204d20050000003e80000000050022000fab00000",
            Frames.tcp4Syn(DST, SRC, "198.18.0.1", "198.18.0.2", 1234, 80, 1000));
    }

    @Test
    void writeCopiesAtHeadroomAndReadReturnsTheSameBytes() {
        try (PacketPool pool = new PacketPool(8)) {
            final BufferCache cache = pool.newCache(4);
            final byte[] frame = Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, HELLO);
            final long descriptor = Frames.write(pool, cache, frame);
            assertEquals(pool.headroom(), Descriptor.offset(descriptor));
            assertEquals(frame.length, Descriptor.length(descriptor));
            assertArrayEquals(frame, Frames.read(pool, descriptor));
            cache.free(descriptor);
            cache.flush();
            assertEquals(8, pool.globalFree());
        }
    }
}
