package dev.nsdp.perf.traffic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.codec.FrameWriter;
import dev.nsdp.dataplane.codec.PacketParser;
import dev.nsdp.dataplane.codec.ParsedPacket;
import dev.nsdp.dataplane.testing.Frames;
import java.util.EnumSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Frames built from templates (copies plus partial checksums) are byte for byte the frames the
 * dataplane's own writers build from scratch with full checksum passes, for every flow and size.
 */
class FrameTemplatesTest {
    private static final int AT = 64;

    private static byte[] build(final FrameTemplates t, final int flow, final int sizeIndex, final int stream,
        final int sequence, final long intended, final long lag) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AT + 9100]);
        buffer.setMemory(0, buffer.capacity(), (byte) 0xEE); // stale bytes the template must overwrite
        final long sum = t.write(buffer, AT, flow, sizeIndex, stream, sequence, intended);
        t.stampSendLag(buffer, AT, lag, sum);
        final byte[] frame = new byte[t.frameLength(sizeIndex)];
        buffer.getBytes(AT, frame);
        return frame;
    }

    private static byte[] payloadOf(final byte[] frame, final int headers) {
        final byte[] payload = new byte[frame.length - headers];
        System.arraycopy(frame, headers, payload, 0, payload.length);
        return payload;
    }

    @Test
    void ipv4FramesEqualFrameWriterOutputForEveryFlowAndSize() {
        final TrafficProfile p = TrafficProfile.defaults()
            .withFlows(5, EnumSet.of(FlowField.SRC_IP, FlowField.DST_PORT))
            .withSizes(FrameSizes.cycle(64, 65, 128, 594, 1518, 9000));
        final FrameTemplates t = new FrameTemplates(p);
        final FrameWriter writer = new FrameWriter();
        for (int flow = 0; flow < 5; flow++) {
            for (int size = 0; size < 6; size++) {
                final byte[] frame = build(t, flow, size, 7 + flow, 0x89AB_CDEF + size, 0x1234_5678_9ABCL + size * 977L, 123_456L * size);
                assertEquals(p.sizes().size(size) - 4, frame.length);
                final byte[] payload = payloadOf(frame, 42);
                final UnsafeBuffer ref = new UnsafeBuffer(new byte[frame.length + 64]);
                ref.putBytes(42, payload);
                final int length = writer.udp4(ref, 0, p.dstMac(), p.srcMac(), Frames.ipv4("198.18.0.1") + flow,
                    Frames.ipv4("198.19.0.1"), 10_000, 20_000 + flow, payload.length);
                final byte[] expected = new byte[length];
                ref.getBytes(0, expected);
                assertArrayEquals(expected, frame, "flow " + flow + " size " + p.sizes().size(size));
            }
        }
    }

    @Test
    void ipv6FramesEqualTheReferenceBuilderForEveryFlowAndSize() {
        final TrafficProfile p = TrafficProfile.defaults().withSizes(FrameSizes.cycle(84, 85, 1518, 9000))
            .withIpv6Defaults().withFlows(3, EnumSet.of(FlowField.DST_IP, FlowField.SRC_PORT));
        final FrameTemplates t = new FrameTemplates(p);
        for (int flow = 0; flow < 3; flow++) {
            for (int size = 0; size < 4; size++) {
                final byte[] frame = build(t, flow, size, flow, size * 1000, 0xFFFF_FFFF_FFFFL - size, 0xFFFF_FFFFL);
                final byte[] dst = Frames.ipv6("2001:db8:1::1");
                dst[15] += (byte) flow;
                final byte[] expected = Frames.udp6(p.dstMac(), p.srcMac(), Frames.ipv6("2001:db8::1"), dst,
                    10_000 + flow, 20_000, payloadOf(frame, 62));
                assertArrayEquals(expected, frame, "flow " + flow + " size " + p.sizes().size(size));
            }
        }
    }

    @Test
    void payloadFieldsReadBackAndFramesParse() {
        final TrafficProfile p = TrafficProfile.defaults().withSizes(FrameSizes.imix());
        final FrameTemplates t = new FrameTemplates(p);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final long intended = 0x7_1234_5678_9ABCL; // more than 48 bits: only the low 48 travel
        final long sum = t.write(buffer, 0, 0, 3, 4242, -2, intended);
        t.stampSendLag(buffer, 0, 5_000_000_000L, sum); // beyond 32 bits: saturates
        final int pay = t.payloadOffset();
        assertEquals(TestPayload.MAGIC, TestPayload.magic(buffer, pay));
        assertEquals(4242, TestPayload.stream(buffer, pay));
        assertEquals(-2, TestPayload.sequence(buffer, pay));
        assertEquals(intended & TestPayload.TIME_MASK, TestPayload.intendedTime48(buffer, pay));
        assertEquals(TestPayload.MAX_SEND_LAG, TestPayload.sendLag(buffer, pay));
        assertEquals(1514, t.frameLength(3));
        final ParsedPacket parsed = new ParsedPacket();
        assertEquals(0, new PacketParser().parse(buffer, 0, t.frameLength(3), parsed));
        assertTrue(parsed.hasL4Header);
    }

    @Test
    void elapsedTimeAcrossThe48BitWrapAndNegative() {
        final long sent = (1L << 48) - 10;           // just before the wrap
        final long now = (1L << 48) + 90;            // 100 ns later, after it
        assertEquals(100, TestPayload.elapsedSince48(now, sent & TestPayload.TIME_MASK));
        assertEquals(-5, TestPayload.elapsedSince48(1000, 1005));
    }

    @Test
    void sizesBelowTheMinimumOfTheIpVersionAreRefused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TrafficProfile.defaults().withIpv6Defaults().withSizes(FrameSizes.fixed(64)));
        assertTrue(e.getMessage().contains("minimum is 84"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrameSizes.fixed(63));
        assertThrows(IllegalArgumentException.class, () -> FrameSizes.fixed(9001));
        assertThrows(IllegalArgumentException.class, () -> FrameSizes.parse("sixty"));
        assertEquals(361.83, FrameSizes.imix().average(), 0.01);
    }
}
