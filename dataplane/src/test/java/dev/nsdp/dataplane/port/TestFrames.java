package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Test helpers for kernel-backed ports: frames as byte arrays (built and checked here, independently
 * of the code under test), moving them in and out of pool buffers, and bounded receive loops.
 */
final class TestFrames {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    /** IEEE 802 "local experimental" EtherType: no kernel stack reacts to it. */
    static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;

    private TestFrames() {
    }

    static byte[] mac(final long mac) {
        final byte[] bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return bytes;
    }

    static String macText(final long mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac(mac));
    }

    /** An Ethernet II frame of {@code length} bytes with random payload after a 2-byte sequence number. */
    static byte[] ethernet(final long dst, final long src, final int etherType, final int length, final int sequence) {
        final byte[] frame = new byte[length];
        ThreadLocalRandom.current().nextBytes(frame);
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.put(mac(dst)).put(mac(src)).putShort((short) etherType).putShort((short) sequence);
        return frame;
    }

    static int u16(final byte[] frame, final int at) {
        return ((frame[at] & 0xFF) << 8) | (frame[at + 1] & 0xFF);
    }

    static long sourceMac(final byte[] frame) {
        return macAt(frame, 6);
    }

    static long macAt(final byte[] frame, final int at) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (frame[at + i] & 0xFF);
        }
        return mac;
    }

    /** Offset of the L3 header after any 802.1Q/802.1ad tags, and its EtherType in the high bits. */
    static int l3Offset(final byte[] frame) {
        int at = 12;
        while (u16(frame, at) == 0x8100 || u16(frame, at) == 0x88A8) {
            at += 4;
        }
        return at + 2;
    }

    static int etherType(final byte[] frame) {
        return u16(frame, l3Offset(frame) - 2);
    }

    /** The IP protocol of an IPv4 frame (or IPv6 with no extension headers), or -1. */
    static int ipProtocol(final byte[] frame) {
        final int ip = l3Offset(frame);
        return switch (etherType(frame)) {
            case ETHERTYPE_IPV4 -> frame[ip + 9] & 0xFF;
            case ETHERTYPE_IPV6 -> frame[ip + 6] & 0xFF;
            default -> -1;
        };
    }

    /** Verifies the TCP/UDP/ICMPv4 checksum of an IPv4 or IPv6 frame (at most a hop-by-hop extension header). */
    static boolean l4ChecksumValid(final byte[] frame) {
        final int ip = l3Offset(frame);
        long sum;
        final int l4;
        final int l4Length;
        final int protocol;
        if (etherType(frame) == ETHERTYPE_IPV4) {
            final int headerLength = (frame[ip] & 0x0F) * 4;
            protocol = frame[ip + 9] & 0xFF;
            l4 = ip + headerLength;
            l4Length = u16(frame, ip + 2) - headerLength;
            sum = protocol == 1 ? 0 : words(frame, ip + 12, 8) + protocol + l4Length;
        } else if (etherType(frame) == ETHERTYPE_IPV6) {
            final boolean hopByHop = frame[ip + 6] == 0; // followed once, as the tests build it
            protocol = hopByHop ? frame[ip + 40] & 0xFF : frame[ip + 6] & 0xFF;
            final int extension = hopByHop ? ((frame[ip + 41] & 0xFF) + 1) * 8 : 0;
            l4 = ip + 40 + extension;
            l4Length = u16(frame, ip + 4) - extension;
            sum = words(frame, ip + 8, 32) + protocol + l4Length;
        } else {
            return false;
        }
        sum += words(frame, l4, l4Length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum == 0xFFFF;
    }

    private static long words(final byte[] bytes, final int from, final int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            final int high = bytes[from + i] & 0xFF;
            final int low = i + 1 < length ? bytes[from + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        return sum;
    }

    /** The ICMPv4 echo reply to an echo request frame, sent from {@code ourMac}. */
    static byte[] icmpEchoReply(final byte[] request, final long ourMac) {
        final byte[] reply = request.clone();
        System.arraycopy(request, 6, reply, 0, 6);
        System.arraycopy(mac(ourMac), 0, reply, 6, 6);
        final int ip = l3Offset(reply);
        System.arraycopy(request, ip + 12, reply, ip + 16, 4);
        System.arraycopy(request, ip + 16, reply, ip + 12, 4);
        final int icmp = ip + (reply[ip] & 0x0F) * 4;
        reply[icmp] = 0; // echo reply
        reply[icmp + 2] = 0;
        reply[icmp + 3] = 0;
        final int icmpLength = u16(reply, ip + 2) - (icmp - ip);
        long sum = words(reply, icmp, icmpLength);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        final int checksum = (int) (~sum & 0xFFFF);
        reply[icmp + 2] = (byte) (checksum >>> 8);
        reply[icmp + 3] = (byte) checksum;
        return reply;
    }

    static boolean isIcmpEchoRequest(final byte[] frame) {
        if (etherType(frame) != ETHERTYPE_IPV4 || ipProtocol(frame) != 1) {
            return false;
        }
        final int ip = l3Offset(frame);
        return frame[ip + (frame[ip] & 0x0F) * 4] == 8;
    }

    /** Copies {@code frame} into a new pool buffer at the headroom: its descriptor. */
    static long toPool(final BufferCache cache, final byte[] frame) {
        final long descriptor = cache.allocateDescriptor();
        if (descriptor == -1L) {
            throw new IllegalStateException("pool exhausted");
        }
        final PacketPool pool = cache.pool();
        pool.view().putBytes(pool.offsetOf(descriptor), frame);
        return Descriptor.withLength(descriptor, frame.length);
    }

    static byte[] fromPool(final PacketPool pool, final long descriptor) {
        final byte[] bytes = new byte[Descriptor.length(descriptor)];
        pool.view().getBytes(pool.offsetOf(descriptor), bytes);
        return bytes;
    }

    /**
     * Receives from {@code port} until {@code count} frames matching {@code wanted} arrived or
     * {@code timeout} passed; frees every buffer; returns the matching frames' bytes in order.
     */
    static List<byte[]> receive(final Port port, final BufferCache cache, final int count, final Duration timeout,
                                final Predicate<byte[]> wanted) {
        final List<byte[]> frames = new ArrayList<>();
        final PacketVector vector = new PacketVector();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.size() < count && System.nanoTime() - deadline < 0) {
            vector.clear();
            final int n = port.receive(vector, 0, cache);
            for (int i = 0; i < n; i++) {
                final byte[] frame = fromPool(cache.pool(), vector.descriptor(i));
                if (wanted.test(frame) && frames.size() < count) {
                    frames.add(frame);
                }
            }
            vector.freeAll(cache);
            if (n == 0) {
                pause();
            }
        }
        return frames;
    }

    /** Transmits all of {@code frames} (retrying while the ring is full, bounded by {@code timeout}). */
    static void transmit(final Port port, final BufferCache cache, final List<byte[]> frames, final Duration timeout) {
        final PacketVector vector = new PacketVector();
        int next = 0;
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (next < frames.size() || vector.count() > 0) {
            while (next < frames.size() && !vector.isFull()) {
                vector.add(toPool(cache, frames.get(next++)), 0);
            }
            final int taken = port.transmit(vector, cache);
            vector.removeFirst(taken);
            if (System.nanoTime() - deadline >= 0) {
                vector.freeAll(cache);
                throw new AssertionError("could not transmit " + frames.size() + " frames within " + timeout);
            }
            if (taken == 0) {
                pause();
            }
        }
    }

    static void pause() {
        try {
            Thread.sleep(1);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
