package dev.nsdp.dataplane.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.testing.BoundsCheckedBuffer;
import dev.nsdp.dataplane.testing.Frames;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The parser never throws, whatever the bytes. Every frame sits at the very end of a buffer of
 * exactly its size, so a read one byte past the frame trips Agrona's bounds check (on by default)
 * and fails the test; and whatever the parser accepts must describe ranges inside the frame.
 */
class PacketParserFuzzTest {
    private static final long DST = Frames.mac("02:00:00:00:00:02");
    private static final long SRC = Frames.mac("02:00:00:00:00:01");

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private final ParsedPacket stale = new ParsedPacket();
    private final ParsedPacket fresh = new ParsedPacket();
    private final int[] reasonsSeen = new int[DropReason.count()];
    private final SplittableRandom garbage = new SplittableRandom(99);
    private int parses;

    private static final java.lang.reflect.Field[] FIELDS = java.util.Arrays.stream(ParsedPacket.class.getDeclaredFields())
        .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers())).toArray(java.lang.reflect.Field[]::new);

    /**
     * The parser writes each field once per path instead of clearing first, so every path must
     * write every field: parsing into a holder full of garbage must give what parsing into a
     * zeroed one gives.
     */
    private void assertNoStaleFields(final UnsafeBuffer buffer, final int offset, final int length, final int reason) {
        try {
            for (final java.lang.reflect.Field field : FIELDS) {
                if (field.getType() == int.class) {
                    field.setInt(stale, garbage.nextInt() | 1);
                } else if (field.getType() == long.class) {
                    field.setLong(stale, garbage.nextLong() | 1);
                } else {
                    field.setBoolean(stale, true);
                }
            }
            fresh.clear();
            assertEquals(reason, parser.parse(buffer, offset, length, stale));
            assertEquals(reason, parser.parse(buffer, offset, length, fresh));
            for (final java.lang.reflect.Field field : FIELDS) {
                assertEquals(field.get(fresh), field.get(stale), () -> "field " + field.getName() + " left stale, reason "
                    + DropReason.of(reason) + ": " + fresh);
            }
        } catch (final IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>();
        final byte[] payload = new byte[24];
        seeds.add(Frames.udp4(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, payload));
        seeds.add(Frames.udp4QinQ(10, 20, DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, payload));
        seeds.add(Frames.udp6Tagged(7, DST, SRC, "2001:db8::1", "2001:db8::2", 1, 2, payload));
        seeds.add(Frames.tcp4Syn(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, 3));
        seeds.add(Frames.icmpEchoRequest4(DST, SRC, "198.18.0.1", "198.18.0.2", 1, 2, payload));
        seeds.add(Frames.icmpv6EchoRequest(DST, SRC, "2001:db8::1", "2001:db8::2", 1, 2, payload));
        seeds.add(Frames.arpRequest(SRC, "198.18.0.1", "198.18.0.2"));
        seeds.add(Frames.fromHex(
            // IPv6 with hop-by-hop, destination options, routing, fragment (first) then UDP (from the scapy fixtures).
            "02000000000202000000000186dd6000000000300040 20010db8000000000000000000000001 20010db8000000000000000000000002"
                .replace(" ", "")
                + "3c00010400000000" + "2b00010400000000" + "2c00000200000000" + "1100000112345678"
                + "0035003500100000" + "0000000000000000"));
        return seeds;
    }

    private int parseAtEndOfExactBuffer(final byte[] frame, final int lead) {
        final byte[] memory = new byte[lead + frame.length];
        System.arraycopy(frame, 0, memory, lead, frame.length);
        final UnsafeBuffer buffer = new BoundsCheckedBuffer(memory);
        final int reason;
        try {
            reason = parser.parse(buffer, lead, frame.length, parsed);
        } catch (final RuntimeException e) {
            fail("parser threw " + e + " for " + Frames.hex(frame), e);
            return -1;
        }
        assertTrue(reason >= 0 && reason < DropReason.count(), "reason " + reason);
        reasonsSeen[reason]++;
        if ((parses++ & 7) == 0 || reason != 0 || frame.length < 100) {
            assertNoStaleFields(buffer, lead, frame.length, reason);
        }
        if (reason == 0) {
            final int end = lead + frame.length;
            assertTrue(parsed.l3Offset >= lead && parsed.l3Offset + parsed.l3Length <= end, parsed::toString);
            if (parsed.ipVersion != 0) {
                assertTrue(parsed.l4Offset >= parsed.l3Offset && parsed.l4Offset + parsed.l4Length <= end, parsed::toString);
                assertEquals(parsed.l3Offset + parsed.ipHeaderLength, parsed.l4Offset, parsed::toString);
            }
        }
        return reason;
    }

    @Test
    void boundsChecksAreOnSoOverReadsWouldFail() {
        // The premise of this class: if this ever stops throwing, the fuzzing below proves nothing.
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
            () -> new BoundsCheckedBuffer(new byte[7]).getLong(0));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
            () -> new BoundsCheckedBuffer(new byte[7]).getShort(6, java.nio.ByteOrder.BIG_ENDIAN));
    }

    @Test
    void randomBytesNeverThrow() {
        final SplittableRandom random = new SplittableRandom(20_000_000);
        final int[] etherTypes = {0x0800, 0x86DD, 0x0806, 0x8100, 0x88A8, 0x0600, 0x05FF, 0x1234};
        for (int i = 0; i < 50_000; i++) {
            final byte[] frame = new byte[random.nextInt(0, 160)];
            random.nextBytes(frame);
            if (frame.length > 13 && random.nextInt(4) != 0) {
                frame[6] &= (byte) 0xFE; // unicast source, so the frame gets past L2 most times
                final int type = etherTypes[random.nextInt(etherTypes.length)];
                frame[12] = (byte) (type >>> 8);
                frame[13] = (byte) type;
                if (frame.length > 14 && (type == 0x0800 || type == 0x86DD) && random.nextBoolean()) {
                    frame[14] = (byte) ((type == 0x0800 ? 0x40 : 0x60) | (frame[14] & 0x0F));
                }
            }
            parseAtEndOfExactBuffer(frame, random.nextInt(0, 3));
        }
    }

    @Test
    void everyTruncationOfEverySeedNeverThrows() {
        for (final byte[] seed : seeds()) {
            assertEquals(0, parseAtEndOfExactBuffer(seed, 0), () -> "seed should parse: " + Frames.hex(seed) + " " + parsed);
            for (int length = 0; length < seed.length; length++) {
                parseAtEndOfExactBuffer(Frames.truncated(seed, length), 1);
            }
        }
    }

    @Test
    void mutatedSeedsNeverThrow() {
        final SplittableRandom random = new SplittableRandom(42);
        final List<byte[]> seeds = seeds();
        for (int i = 0; i < 200_000; i++) {
            final byte[] frame = seeds.get(random.nextInt(seeds.size())).clone();
            final int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                final int at = random.nextInt(frame.length);
                frame[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (frame[at] ^ (1 << random.nextInt(8)));
            }
            final int length = random.nextInt(8) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            parseAtEndOfExactBuffer(Frames.truncated(frame, length), random.nextInt(0, 5));
        }
        // The mutations must have reached deep into the parser, not just failed at L2.
        for (final DropReason reason : new DropReason[] {DropReason.NONE, DropReason.IPV4_BAD_CHECKSUM, DropReason.IPV6_TRUNCATED,
            DropReason.UDP_BAD_LENGTH, DropReason.TCP_BAD_DATA_OFFSET, DropReason.IPV6_BAD_EXTENSION_HEADER}) {
            assertTrue(reasonsSeen[reason.ordinal()] > 0, "never produced " + reason);
        }
    }
}
