package dev.nsdp.perf.traffic;

import dev.nsdp.dataplane.codec.Checksum;
import dev.nsdp.dataplane.codec.EtherType;
import dev.nsdp.dataplane.codec.EthernetHeader;
import dev.nsdp.dataplane.codec.IpProtocol;
import dev.nsdp.dataplane.codec.Ipv4Header;
import dev.nsdp.dataplane.codec.Ipv6Header;
import dev.nsdp.dataplane.codec.UdpHeader;
import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Pre-built headers for every flow of a {@link TrafficProfile}, so building a frame on the hot path
 * is two copies and a few stores: no checksum pass over the frame, whatever its size.
 *
 * <p>Set-up writes each flow's Ethernet, IP and UDP headers with the dataplane's flyweights, lengths
 * and checksums zero, and keeps the one's-complement sums that do not change: the IPv4 header's,
 * and the UDP pseudo-header plus ports. The payload comes from one fill buffer: the test payload's
 * magic, zeros where the per-frame fields go, then a byte pattern ({@code (byte) i} at payload
 * offset {@code i}); its sum is kept for each frame size. A frame's checksums are then those sums
 * plus the length fields plus the per-frame fields (RFC 1071 sums add in any order). The UDP checksum
 * is finished last, by {@link #stampSendLag}, when the send time is known.
 *
 * <p>IPv4 headers are as the dataplane's FrameWriter writes them (identification 0, DF, TTL 64);
 * IPv6 headers have traffic class and flow label 0 and hop limit 64. Not thread safe: it holds no
 * per-frame state, but the frame written last is the caller's to stamp.
 */
public final class FrameTemplates {
    private static final int STRIDE = 64;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final TrafficProfile profile;
    private final int flows;
    private final boolean ipv4;
    private final int headerLength;
    private final UnsafeBuffer headers;
    private final long[] ipHeaderSum;
    private final long[] l4BaseSum;
    private final UnsafeBuffer fill;
    private final int[] frameLength;
    private final int[] payloadLength;
    private final long[] payloadSum;

    public FrameTemplates(final TrafficProfile profile) {
        this.profile = profile;
        this.flows = profile.flows();
        this.ipv4 = profile.ipVersion() == 4;
        this.headerLength = profile.headerLength();
        this.headers = new UnsafeBuffer(new byte[flows * STRIDE]);
        this.ipHeaderSum = new long[flows];
        this.l4BaseSum = new long[flows];
        final EthernetHeader ethernet = new EthernetHeader();
        final Ipv4Header ip4 = new Ipv4Header();
        final Ipv6Header ip6 = new Ipv6Header();
        final UdpHeader udp = new UdpHeader();
        for (int k = 0; k < flows; k++) {
            final int at = k * STRIDE;
            final byte[] src = profile.srcIpOf(k);
            final byte[] dst = profile.dstIpOf(k);
            ethernet.wrap(headers, at, headerLength).destination(profile.dstMac()).source(profile.srcMac())
                .etherType(ipv4 ? EtherType.IPV4 : EtherType.IPV6);
            final int ipAt = at + EthernetHeader.HEADER_LENGTH;
            final int udpAt = at + headerLength - UdpHeader.HEADER_LENGTH;
            if (ipv4) {
                ip4.wrap(headers, ipAt).versionAndHeaderLength(Ipv4Header.MIN_HEADER_LENGTH).tos(0).totalLength(0)
                    .identification(0).flagsAndFragmentOffset(Ipv4Header.FLAG_DONT_FRAGMENT).ttl(64)
                    .protocol(IpProtocol.UDP).checksum(0).source(int32(src)).destination(int32(dst));
                ipHeaderSum[k] = Checksum.sum(headers, ipAt, Ipv4Header.MIN_HEADER_LENGTH);
                l4BaseSum[k] = Checksum.ipv4PseudoHeaderSum(int32(src), int32(dst), IpProtocol.UDP, 0);
            } else {
                ip6.wrap(headers, ipAt).initialise().payloadLength(0).nextHeader(IpProtocol.UDP).hopLimit(64)
                    .source(int64(src, 0), int64(src, 8)).destination(int64(dst, 0), int64(dst, 8));
                l4BaseSum[k] = Checksum.ipv6PseudoHeaderSum(headers, ip6.sourceOffset(), ip6.destinationOffset(), IpProtocol.UDP, 0);
            }
            udp.wrap(headers, udpAt).sourcePort(profile.srcPortOf(k)).destinationPort(profile.dstPortOf(k)).length(0).checksum(0);
            l4BaseSum[k] += profile.srcPortOf(k) + profile.dstPortOf(k);
        }

        final FrameSizes sizes = profile.sizes();
        final int maxPayload = sizes.max() - FrameSizes.FCS - headerLength;
        this.fill = new UnsafeBuffer(new byte[maxPayload]);
        for (int i = TestPayload.LENGTH; i < maxPayload; i++) {
            fill.putByte(i, (byte) i);
        }
        TestPayload.writeMagic(fill, 0);
        this.frameLength = new int[sizes.patternLength()];
        this.payloadLength = new int[sizes.patternLength()];
        this.payloadSum = new long[sizes.patternLength()];
        for (int i = 0; i < sizes.patternLength(); i++) {
            frameLength[i] = sizes.size(i) - FrameSizes.FCS;
            payloadLength[i] = frameLength[i] - headerLength;
            payloadSum[i] = Checksum.sum(fill, 0, payloadLength[i]);
        }
    }

    private static int int32(final byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static long int64(final byte[] b, final int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[from + i] & 0xFF);
        }
        return v;
    }

    public TrafficProfile profile() {
        return profile;
    }

    /** Bytes in packet memory of the {@code sizeIndex}-th size of the pattern (its size less the FCS). */
    public int frameLength(final int sizeIndex) {
        return frameLength[sizeIndex];
    }

    /** Offset of the test payload from the start of the frame. */
    public int payloadOffset() {
        return headerLength;
    }

    /**
     * Writes flow {@code flow}'s frame of pattern size {@code sizeIndex} at {@code offset}, with the
     * stream, sequence and intended send time, and returns the UDP checksum's partial sum without the
     * send lag: pass it to {@link #stampSendLag} to finish the frame.
     */
    public long write(final MutableDirectBuffer buffer, final int offset, final int flow, final int sizeIndex,
        final int stream, final int sequence, final long intendedNanos) {
        final int payload = payloadLength[sizeIndex];
        final int udpLength = UdpHeader.HEADER_LENGTH + payload;
        buffer.putBytes(offset, headers, flow * STRIDE, headerLength);
        final int ipAt = offset + EthernetHeader.HEADER_LENGTH;
        if (ipv4) {
            final int totalLength = Ipv4Header.MIN_HEADER_LENGTH + udpLength;
            buffer.putShort(ipAt + Ipv4Header.TOTAL_LENGTH_OFFSET, (short) totalLength, BE);
            buffer.putShort(ipAt + Ipv4Header.CHECKSUM_OFFSET, (short) Checksum.finish(ipHeaderSum[flow] + totalLength), BE);
        } else {
            buffer.putShort(ipAt + Ipv6Header.PAYLOAD_LENGTH_OFFSET, (short) udpLength, BE);
        }
        buffer.putShort(offset + headerLength - UdpHeader.HEADER_LENGTH + UdpHeader.LENGTH_OFFSET, (short) udpLength, BE);
        final int payloadAt = offset + headerLength;
        buffer.putBytes(payloadAt, fill, 0, payload);
        final long time48 = intendedNanos & TestPayload.TIME_MASK;
        TestPayload.writeIdentity(buffer, payloadAt, stream, sequence, time48);
        // The per-frame words, as big-endian 16-bit values, added to the constant sums.
        final long fields = (stream & 0xFFFF) + (sequence >>> 16) + (sequence & 0xFFFF)
            + (time48 >>> 32) + ((time48 >>> 16) & 0xFFFF) + (time48 & 0xFFFF);
        return l4BaseSum[flow] + 2L * udpLength + payloadSum[sizeIndex] + fields;
    }

    /**
     * Writes the send lag (actual minus intended send time) of a frame written by {@link #write} and
     * its UDP checksum. May be called again (a frame the port refused is restamped when retried).
     */
    public void stampSendLag(final MutableDirectBuffer buffer, final int offset, final long lagNanos, final long sumWithoutLag) {
        final int payloadAt = offset + headerLength;
        TestPayload.writeSendLag(buffer, payloadAt, lagNanos);
        final long lag = TestPayload.sendLag(buffer, payloadAt);
        final int checksum = Checksum.udpTransmitted(Checksum.finish(sumWithoutLag + (lag >>> 16) + (lag & 0xFFFF)));
        buffer.putShort(payloadAt - UdpHeader.HEADER_LENGTH + UdpHeader.CHECKSUM_OFFSET, (short) checksum, BE);
    }
}
