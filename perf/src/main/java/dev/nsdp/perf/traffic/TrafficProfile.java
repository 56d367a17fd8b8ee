package dev.nsdp.perf.traffic;

import dev.nsdp.dataplane.codec.MacAddress;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the generator sends, independent of rate and duration: addresses, ports, how many flows and
 * which fields vary between them, and the frame sizes. Flow {@code k} (0-based) adds {@code k} to
 * every field in {@link #vary()}, and its frames carry stream id {@code streamBase + k}.
 *
 * <p>The defaults are lab addresses: 198.18.0.1 to 198.19.0.1 (RFC 2544's benchmark range, one /16
 * per side), 2001:db8::1 to 2001:db8:1::1 for IPv6, locally administered MACs.
 */
public record TrafficProfile(
    long srcMac, long dstMac, InetAddress srcIp, InetAddress dstIp, int srcPort, int dstPort,
    int flows, Set<FlowField> vary, FrameSizes sizes) {

    public static final long DEFAULT_SRC_MAC = MacAddress.parse("02:00:00:00:00:01");
    public static final long DEFAULT_DST_MAC = MacAddress.parse("02:00:00:00:00:02");
    public static final String DEFAULT_SRC_IPV4 = "198.18.0.1";
    public static final String DEFAULT_DST_IPV4 = "198.19.0.1";
    public static final String DEFAULT_SRC_IPV6 = "2001:db8::1";
    public static final String DEFAULT_DST_IPV6 = "2001:db8:1::1";
    public static final int DEFAULT_SRC_PORT = 10_000;
    public static final int DEFAULT_DST_PORT = 20_000;
    /** Ethernet + IPv4 + UDP, and Ethernet + IPv6 + UDP. */
    public static final int IPV4_HEADERS = 14 + 20 + 8;
    public static final int IPV6_HEADERS = 14 + 40 + 8;

    public TrafficProfile {
        vary = Set.copyOf(vary.isEmpty() ? EnumSet.noneOf(FlowField.class) : EnumSet.copyOf(vary));
        if ((srcIp instanceof Inet4Address) != (dstIp instanceof Inet4Address)) {
            throw new IllegalArgumentException("source " + srcIp.getHostAddress() + " and destination "
                + dstIp.getHostAddress() + " are not of one IP version");
        }
        if (flows < 1 || flows > TestPayload.MAX_STREAMS) {
            throw new IllegalArgumentException("flows must be 1.." + TestPayload.MAX_STREAMS + ", got " + flows);
        }
        if (flows > 1 && vary.isEmpty()) {
            throw new IllegalArgumentException(flows + " flows need at least one field to vary");
        }
        checkPort("source", srcPort, vary.contains(FlowField.SRC_PORT) ? flows : 1);
        checkPort("destination", dstPort, vary.contains(FlowField.DST_PORT) ? flows : 1);
        final int minimum = (srcIp instanceof Inet4Address ? IPV4_HEADERS : IPV6_HEADERS) + TestPayload.LENGTH + FrameSizes.FCS;
        if (sizes.min() < minimum) {
            throw new IllegalArgumentException("frame size " + sizes.min() + " is too small for UDP over IPv"
                + (srcIp instanceof Inet4Address ? 4 : 6) + " with the " + TestPayload.LENGTH
                + "-byte test payload: the minimum is " + minimum + " bytes (FCS included)");
        }
    }

    private static void checkPort(final String which, final int port, final int count) {
        if (port < 0 || port + count - 1 > 65_535) {
            throw new IllegalArgumentException(which + " port " + port + (count > 1 ? " + " + (count - 1) + " flows" : "")
                + " does not fit in 0..65535");
        }
    }

    /** One IPv4 flow of 64-byte frames between the default addresses. */
    public static TrafficProfile defaults() {
        return new TrafficProfile(DEFAULT_SRC_MAC, DEFAULT_DST_MAC, address(DEFAULT_SRC_IPV4), address(DEFAULT_DST_IPV4),
            DEFAULT_SRC_PORT, DEFAULT_DST_PORT, 1, EnumSet.of(FlowField.SRC_PORT), FrameSizes.fixed(64));
    }

    /** The same traffic over IPv6 between the default IPv6 addresses. */
    public TrafficProfile withIpv6Defaults() {
        return new TrafficProfile(srcMac, dstMac, address(DEFAULT_SRC_IPV6), address(DEFAULT_DST_IPV6), srcPort, dstPort,
            flows, vary, sizes);
    }

    public TrafficProfile withSizes(final FrameSizes newSizes) {
        return new TrafficProfile(srcMac, dstMac, srcIp, dstIp, srcPort, dstPort, flows, vary, newSizes);
    }

    public TrafficProfile withFlows(final int newFlows, final Set<FlowField> newVary) {
        return new TrafficProfile(srcMac, dstMac, srcIp, dstIp, srcPort, dstPort, newFlows, newVary, sizes);
    }

    public TrafficProfile withAddresses(final InetAddress newSrc, final InetAddress newDst) {
        return new TrafficProfile(srcMac, dstMac, newSrc, newDst, srcPort, dstPort, flows, vary, sizes);
    }

    public TrafficProfile withMacs(final long newSrcMac, final long newDstMac) {
        return new TrafficProfile(newSrcMac, newDstMac, srcIp, dstIp, srcPort, dstPort, flows, vary, sizes);
    }

    public TrafficProfile withPorts(final int newSrcPort, final int newDstPort) {
        return new TrafficProfile(srcMac, dstMac, srcIp, dstIp, newSrcPort, newDstPort, flows, vary, sizes);
    }

    public int ipVersion() {
        return srcIp instanceof Inet4Address ? 4 : 6;
    }

    /** Bytes of Ethernet, IP and UDP headers before the test payload. */
    public int headerLength() {
        return ipVersion() == 4 ? IPV4_HEADERS : IPV6_HEADERS;
    }

    /** The smallest frame (FCS included) that carries the test payload: 64 for IPv4, 84 for IPv6. */
    public int minFrameSize() {
        return headerLength() + TestPayload.LENGTH + FrameSizes.FCS;
    }

    /** Address bytes of flow {@code k}: the base address plus {@code k} when the field varies. */
    public byte[] srcIpOf(final int flow) {
        return offset(srcIp, vary.contains(FlowField.SRC_IP) ? flow : 0);
    }

    public byte[] dstIpOf(final int flow) {
        return offset(dstIp, vary.contains(FlowField.DST_IP) ? flow : 0);
    }

    public int srcPortOf(final int flow) {
        return srcPort + (vary.contains(FlowField.SRC_PORT) ? flow : 0);
    }

    public int dstPortOf(final int flow) {
        return dstPort + (vary.contains(FlowField.DST_PORT) ? flow : 0);
    }

    private static byte[] offset(final InetAddress base, final int k) {
        final byte[] bytes = base.getAddress();
        if (k == 0) {
            return bytes;
        }
        final BigInteger sum = new BigInteger(1, bytes).add(BigInteger.valueOf(k));
        final byte[] raw = sum.toByteArray();
        final byte[] out = new byte[bytes.length];
        final int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy); // wraps past the top, as address arithmetic does
        return out;
    }

    /** A literal IPv4 or IPv6 address (never a host name: no DNS lookups). */
    public static InetAddress address(final String literal) {
        final String t = literal.trim();
        final boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        final boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + literal + "' is not an IPv4 or IPv6 address literal");
        }
        try {
            final InetAddress a = InetAddress.getByName(t);
            if (v4 != (a instanceof Inet4Address)) {
                throw new IllegalArgumentException("'" + literal + "' is not a valid address");
            }
            return a;
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not a valid address: " + e.getMessage());
        }
    }

    /** One line for reports: "IPv4 198.18.0.1:10000 -> 198.19.0.1:20000, 4 flows (src-port), size 64". */
    public String describe() {
        final StringBuilder b = new StringBuilder();
        b.append("IPv").append(ipVersion()).append(' ')
            .append(srcIp.getHostAddress()).append(':').append(srcPort).append(" -> ")
            .append(dstIp.getHostAddress()).append(':').append(dstPort).append(", ")
            .append(flows).append(flows == 1 ? " flow" : " flows");
        if (flows > 1) {
            b.append(" (vary");
            for (final FlowField f : EnumSet.copyOf(vary)) {
                b.append(' ').append(f.text());
            }
            b.append(')');
        }
        b.append(", frame size ").append(sizes.name());
        return b.toString();
    }
}
