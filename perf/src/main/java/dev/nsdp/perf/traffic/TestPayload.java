package dev.nsdp.perf.traffic;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 18 bytes every generated frame carries at the start of its UDP payload, big-endian:
 *
 * <pre>
 *  offset size field
 *   0     2    magic 0x4E53 ("NS"): tells a test frame from other traffic
 *   2     2    stream id (0..65535): one per flow; sequence, loss and order are per stream
 *   4     4    sequence number within the stream, modulo 2^32 (the sink extends it to 64 bits)
 *   8     6    intended send time: low 48 bits of the generator's clock in ns (the schedule, t0 + i / rate)
 *  14     4    send lag: actual send time minus intended send time, ns, unsigned, saturating at 2^32 - 1
 * </pre>
 *
 * <p>Why 18 bytes: a 64-byte Ethernet frame (RFC 2544 counts the 4-byte FCS, which a software
 * port never sees) holds 60 bytes, and Ethernet + IPv4 + UDP headers take 42 of them. Everything
 * the sink needs fits: the intended time in 48 bits wraps only every 78 hours, and the sink rebuilds
 * the full time as the 48-bit difference from its own clock (sign extended), so generator and sink
 * need the same clock (System.nanoTime, CLOCK_MONOTONIC on Linux: one host) but no shared epoch.
 * The actual send time is {@code intended + lag}: the uncorrected latency is measured from it.
 *
 * <p>Every 16-bit word of the layout starts at an even offset from the UDP header, so the UDP
 * checksum can be completed from partial sums (see {@link FrameTemplates}).
 */
public final class TestPayload {
    public static final int MAGIC = 0x4E53;
    public static final int MAGIC_OFFSET = 0;
    public static final int STREAM_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int INTENDED_TIME_OFFSET = 8;
    public static final int SEND_LAG_OFFSET = 14;
    public static final int LENGTH = 18;

    public static final int MAX_STREAMS = 1 << 16;
    public static final long TIME_MASK = (1L << 48) - 1;
    public static final long MAX_SEND_LAG = 0xFFFF_FFFFL;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private TestPayload() {
    }

    public static void writeMagic(final MutableDirectBuffer buffer, final int payloadOffset) {
        buffer.putShort(payloadOffset + MAGIC_OFFSET, (short) MAGIC, BE);
    }

    /** Writes stream, sequence and intended time (the fields fixed when the frame is built). */
    public static void writeIdentity(final MutableDirectBuffer buffer, final int payloadOffset,
        final int stream, final int sequence, final long intendedNanos) {
        buffer.putShort(payloadOffset + STREAM_OFFSET, (short) stream, BE);
        buffer.putInt(payloadOffset + SEQUENCE_OFFSET, sequence, BE);
        buffer.putShort(payloadOffset + INTENDED_TIME_OFFSET, (short) (intendedNanos >>> 32), BE);
        buffer.putInt(payloadOffset + INTENDED_TIME_OFFSET + 2, (int) intendedNanos, BE);
    }

    /** Writes the send lag, saturated to 32 bits (negative lags, which a sane clock never gives, become 0). */
    public static void writeSendLag(final MutableDirectBuffer buffer, final int payloadOffset, final long lagNanos) {
        final long lag = lagNanos < 0 ? 0 : Math.min(lagNanos, MAX_SEND_LAG);
        buffer.putInt(payloadOffset + SEND_LAG_OFFSET, (int) lag, BE);
    }

    public static int magic(final DirectBuffer buffer, final int payloadOffset) {
        return buffer.getShort(payloadOffset + MAGIC_OFFSET, BE) & 0xFFFF;
    }

    public static int stream(final DirectBuffer buffer, final int payloadOffset) {
        return buffer.getShort(payloadOffset + STREAM_OFFSET, BE) & 0xFFFF;
    }

    public static int sequence(final DirectBuffer buffer, final int payloadOffset) {
        return buffer.getInt(payloadOffset + SEQUENCE_OFFSET, BE);
    }

    /** The low 48 bits of the intended send time. */
    public static long intendedTime48(final DirectBuffer buffer, final int payloadOffset) {
        return ((long) (buffer.getShort(payloadOffset + INTENDED_TIME_OFFSET, BE) & 0xFFFF) << 32)
            | (buffer.getInt(payloadOffset + INTENDED_TIME_OFFSET + 2, BE) & 0xFFFF_FFFFL);
    }

    public static long sendLag(final DirectBuffer buffer, final int payloadOffset) {
        return buffer.getInt(payloadOffset + SEND_LAG_OFFSET, BE) & 0xFFFF_FFFFL;
    }

    /**
     * Nanoseconds from a 48-bit timestamp to {@code now} on the same clock: the 48-bit difference,
     * sign extended, so it is right whenever the true difference lies within +-39 hours (and is
     * negative only if the timestamp lies in the future, which on one clock means a bug).
     */
    public static long elapsedSince48(final long now, final long time48) {
        return ((now - time48) << 16) >> 16;
    }
}
