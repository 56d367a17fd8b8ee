package dev.nsdp.perf.jmh;

import dev.nsdp.dataplane.codec.Checksum;
import dev.nsdp.dataplane.codec.EtherType;
import dev.nsdp.dataplane.codec.EthernetHeader;
import dev.nsdp.dataplane.codec.IpProtocol;
import dev.nsdp.dataplane.codec.Ipv4Header;
import dev.nsdp.dataplane.codec.Ipv6ExtensionHeader;
import dev.nsdp.dataplane.codec.Ipv6Header;
import dev.nsdp.dataplane.codec.PacketParser;
import dev.nsdp.dataplane.codec.ParsedPacket;
import dev.nsdp.dataplane.codec.UdpHeader;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-frame codec costs on the hot path: one parse of a minimum-size UDP/IPv4 frame and of a plain UDP/IPv6 frame, one parse
 * of an IPv6 packet behind four extension headers, a full IPv4 header checksum, and the RFC 1624
 * incremental update a router does per forwarded packet (TTL decrement; address rewrite).
 *
 * <p>Frames live off-heap like the packet pool's, and are built with the codec's own writers.
 * Run: {@code java @scripts/jvm.options -cp <perf classes>:<classpath.txt> org.openjdk.jmh.Main CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
    private static final long DST = 0x0200_0000_0002L;
    private static final long SRC = 0x0200_0000_0001L;
    private static final int UDP4_OFFSET = 64;
    private static final int UDP4_LENGTH = 64;
    private static final int IPV6_OFFSET = 256;
    private static final int UDP6_OFFSET = 512;
    private static final int UDP6_LENGTH = 14 + 40 + 8 + 18;

    private final UnsafeBuffer memory = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private final Ipv4Header ip4 = new Ipv4Header();
    private int ipv6Length;
    private int address;

    @Setup
    public void setUp() {
        // 64-byte UDP/IPv4 frame: 14 Ethernet + 20 IPv4 + 8 UDP + 22 payload.
        new EthernetHeader().wrap(memory, UDP4_OFFSET, UDP4_LENGTH).destination(DST).source(SRC).etherType(EtherType.IPV4);
        final int l3 = UDP4_OFFSET + EthernetHeader.HEADER_LENGTH;
        ip4.wrap(memory, l3).versionAndHeaderLength(20).totalLength(UDP4_LENGTH - EthernetHeader.HEADER_LENGTH)
            .identification(1).ttl(64).protocol(IpProtocol.UDP).source(0xC612_0001).destination(0xC612_0002).updateChecksum();
        new UdpHeader().wrap(memory, l3 + 20).sourcePort(1234).destinationPort(5678).length(30).updateChecksum(ip4);

        // IPv6: hop-by-hop, destination options, routing, fragment (first, offset 0, M set), UDP with 16 bytes.
        new EthernetHeader().wrap(memory, IPV6_OFFSET, 0).destination(DST).source(SRC).etherType(EtherType.IPV6);
        final int l3v6 = IPV6_OFFSET + EthernetHeader.HEADER_LENGTH;
        final Ipv6Header ip6 = new Ipv6Header().wrap(memory, l3v6).initialise().payloadLength(8 + 8 + 24 + 8 + 24)
            .nextHeader(IpProtocol.HOP_BY_HOP).hopLimit(64).source(0x2001_0db8_0000_0000L, 1).destination(0x2001_0db8_0000_0000L, 2);
        final Ipv6ExtensionHeader extension = new Ipv6ExtensionHeader();
        int at = ip6.payloadOffset();
        extension.wrap(memory, at, IpProtocol.HOP_BY_HOP).nextHeader(IpProtocol.IPV6_DESTINATION_OPTIONS).lengthField(0);
        at = extension.nextOffset();
        extension.wrap(memory, at, IpProtocol.IPV6_DESTINATION_OPTIONS).nextHeader(IpProtocol.IPV6_ROUTING).lengthField(0);
        at = extension.nextOffset();
        extension.wrap(memory, at, IpProtocol.IPV6_ROUTING).nextHeader(IpProtocol.IPV6_FRAGMENT).lengthField(2);
        at = extension.nextOffset();
        extension.wrap(memory, at, IpProtocol.IPV6_FRAGMENT).nextHeader(IpProtocol.UDP).fragment(0, true).fragmentIdentification(7);
        at = extension.nextOffset();
        new UdpHeader().wrap(memory, at).sourcePort(53).destinationPort(53).length(24);
        ipv6Length = at + 24 - IPV6_OFFSET;

        // Plain UDP/IPv6, 80 bytes: the common IPv6 case.
        new EthernetHeader().wrap(memory, UDP6_OFFSET, UDP6_LENGTH).destination(DST).source(SRC).etherType(EtherType.IPV6);
        final Ipv6Header plain = new Ipv6Header().wrap(memory, UDP6_OFFSET + EthernetHeader.HEADER_LENGTH).initialise()
            .payloadLength(26).nextHeader(IpProtocol.UDP).hopLimit(64)
            .source(0x2001_0db8_0000_0000L, 1).destination(0x2001_0db8_0000_0000L, 2);
        new UdpHeader().wrap(memory, plain.payloadOffset()).sourcePort(1234).destinationPort(5678).length(26).updateChecksum(plain);

        if (parser.parse(memory, UDP4_OFFSET, UDP4_LENGTH, parsed) != 0
            || parser.parse(memory, UDP6_OFFSET, UDP6_LENGTH, parsed) != 0
            || parser.parse(memory, IPV6_OFFSET, ipv6Length, parsed) != 0 || parsed.protocol != IpProtocol.UDP) {
            throw new IllegalStateException("benchmark frames do not parse: " + parsed);
        }
    }

    @Benchmark
    public int parseUdp4Frame64() {
        return parser.parse(memory, UDP4_OFFSET, UDP4_LENGTH, parsed) + parsed.dstPort;
    }

    @Benchmark
    public int parseUdp6Frame80() {
        return parser.parse(memory, UDP6_OFFSET, UDP6_LENGTH, parsed) + parsed.dstPort;
    }

    @Benchmark
    public int parseIpv6WithFourExtensionHeaders() {
        return parser.parse(memory, IPV6_OFFSET, ipv6Length, parsed) + parsed.dstPort;
    }

    @Benchmark
    public int ipv4HeaderChecksumFull() {
        return Checksum.compute(memory, UDP4_OFFSET + EthernetHeader.HEADER_LENGTH, 20);
    }

    @Benchmark
    public int ipv4HeaderChecksumVerify() {
        return Checksum.isValid(memory, UDP4_OFFSET + EthernetHeader.HEADER_LENGTH, 20) ? 1 : 0;
    }

    /** TTL decrement with the RFC 1624 checksum patch (the TTL wraps from 0 to 255; the cost is the same). */
    @Benchmark
    public int ipv4TtlDecrementIncremental() {
        return ip4.decrementTtl().checksum();
    }

    /** Destination rewrite with the IPv4 header checksum patched incrementally. */
    @Benchmark
    public int ipv4AddressRewriteIncremental() {
        address += 0x0101;
        return ip4.rewriteDestination(0xC612_0000 | (address & 0xFFFF)).checksum();
    }
}
