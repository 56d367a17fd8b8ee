package dev.nsdp.dataplane.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    /** RFC 1071 the slow, obvious way: big-endian 16-bit words, end-around carry after every add. */
    private static int reference(final byte[] data, final int offset, final int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            final int hi = data[offset + i] & 0xFF;
            final int lo = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, checksum 220d.
        final byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        final UnsafeBuffer b = new UnsafeBuffer(data);
        assertEquals(0xddf2, Checksum.fold(Checksum.sum(b, 0, 8)));
        assertEquals(0x220d, Checksum.compute(b, 0, 8));
    }

    @Test
    void matchesTheReferenceForEveryLengthAndAlignment() {
        final SplittableRandom random = new SplittableRandom(1071);
        final byte[] data = new byte[1600];
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < data.length; i++) {
                // Mostly 0xFF bytes in some rounds, to exercise the carries.
                data[i] = (byte) (round % 4 == 0 ? 0xFF - random.nextInt(2) : random.nextInt(256));
            }
            final UnsafeBuffer b = new UnsafeBuffer(data);
            for (int offset = 0; offset < 9; offset++) {
                for (int length = 0; length < 80; length++) {
                    assertEquals(reference(data, offset, length), Checksum.compute(b, offset, length),
                        "offset " + offset + " length " + length);
                }
                assertEquals(reference(data, offset, 1500), Checksum.compute(b, offset, 1500));
            }
        }
    }

    @Test
    void validityCheckAcceptsAStoredChecksumAndRejectsAFlippedBit() {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] header = new byte[20];
        for (int i = 0; i < 20; i++) {
            header[i] = (byte) random.nextInt(256);
        }
        header[10] = 0;
        header[11] = 0;
        final UnsafeBuffer b = new UnsafeBuffer(header);
        final int checksum = Checksum.compute(b, 0, 20);
        b.putShort(10, (short) checksum, java.nio.ByteOrder.BIG_ENDIAN);
        assertTrue(Checksum.isValid(b, 0, 20));
        header[3] ^= 0x10;
        assertFalse(Checksum.isValid(b, 0, 20));
    }

    @Test
    void incrementalUpdateEqualsFullRecompute() {
        final SplittableRandom random = new SplittableRandom(1624);
        final byte[] data = new byte[40];
        final UnsafeBuffer b = new UnsafeBuffer(data);
        for (int round = 0; round < 100_000; round++) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (round % 3 == 0 ? (random.nextBoolean() ? 0 : 0xFF) : random.nextInt(256));
            }
            b.putShort(0, (short) 0);
            final int before = Checksum.compute(b, 0, 40);
            if (random.nextBoolean()) {
                final int at = 2 + 2 * random.nextInt(19);
                final int old = b.getShort(at, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
                final int now = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0 : 0xFFFF) : random.nextInt(0x10000);
                b.putShort(at, (short) now, java.nio.ByteOrder.BIG_ENDIAN);
                assertEquals(Checksum.compute(b, 0, 40), Checksum.update16(before, old, now), "round " + round);
            } else {
                final int at = 4 + 2 * random.nextInt(17);
                final int old = b.getInt(at, java.nio.ByteOrder.BIG_ENDIAN);
                final int now = random.nextInt(4) == 0 ? 0 : random.nextInt();
                b.putInt(at, now, java.nio.ByteOrder.BIG_ENDIAN);
                assertEquals(Checksum.compute(b, 0, 40), Checksum.update32(before, old, now), "round " + round);
            }
        }
    }

    @Test
    void rfc1624WorkedExampleAvoidsNegativeZero() {
        // RFC 1624 section 4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 (eqn. 3), not 0xFFFF.
        assertEquals(0x0000, Checksum.update16(0xDD2F, 0x5555, 0x3285));
    }

    @Test
    void udpZeroChecksumRules() {
        assertEquals(0xFFFF, Checksum.udpTransmitted(0));
        assertEquals(0x1234, Checksum.udpTransmitted(0x1234));
        // No checksum stays no checksum.
        assertEquals(0, Checksum.updateUdp16(0, 0x1111, 0x2222));
        assertEquals(0, Checksum.updateUdp32(0, 0x1111_1111, 0x2222_2222));
        // A result of zero goes out as 0xFFFF.
        assertEquals(0xFFFF, Checksum.updateUdp16(0xDD2F, 0x5555, 0x3285));
    }

    @Test
    void ipv4PseudoHeaderSum() {
        // 198.18.0.1 -> 198.18.0.2, UDP, 13 bytes: c612 + 0001 + c612 + 0002 + 0011 + 000d.
        assertEquals(0xc612 + 0x0001 + 0xc612 + 0x0002 + 17 + 13,
            Checksum.ipv4PseudoHeaderSum(0xC6120001, 0xC6120002, 17, 13));
    }
}
