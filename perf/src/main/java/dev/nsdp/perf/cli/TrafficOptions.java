package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.perf.traffic.FlowField;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TrafficProfile;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Set;

/** The options that say what frames to send, shared by gen, loop and rfc2544. */
final class TrafficOptions {
    static final Set<String> VALUES = Set.of("src-mac", "dst-mac", "src-ip", "dst-ip", "src-port", "dst-port", "flows", "vary", "size");
    static final Set<String> FLAGS = Set.of("ipv6");

    static final String HELP = """
          traffic:
            --size S          frame size in bytes, FCS included (RFC 2544): 64..9000, 'imix' (64/594/1518 at 7:4:1),
                              or a list 64,128,1518 that frames take in turn                       [64]
            --ipv6            IPv6 between 2001:db8::1 and 2001:db8:1::1 (smallest IPv6 frame: 84)  [IPv4]
            --src-ip A --dst-ip B   addresses (both IPv4 or both IPv6)      [198.18.0.1 -> 198.19.0.1]
            --src-port P --dst-port Q                                         [10000 -> 20000]
            --src-mac M --dst-mac M                       [02:00:00:00:00:01 -> 02:00:00:00:00:02]
            --flows N         N flows, each its own stream (sequence, loss, order)   [1]
            --vary F,...      fields that differ per flow (flow k adds k): src-ip, dst-ip, src-port, dst-port [src-port]
        """;

    private TrafficOptions() {
    }

    static TrafficProfile parse(final Arguments a, final String defaultSize) {
        final FrameSizes sizes;
        try {
            sizes = FrameSizes.parse(a.string("size", defaultSize));
        } catch (final IllegalArgumentException e) {
            throw new UsageException("--size: " + e.getMessage());
        }
        return parse(a, sizes);
    }

    static TrafficProfile parse(final Arguments a, final FrameSizes sizes) {
        final boolean ipv6 = a.flag("ipv6");
        try {
            final InetAddress src = TrafficProfile.address(a.string("src-ip",
                ipv6 ? TrafficProfile.DEFAULT_SRC_IPV6 : TrafficProfile.DEFAULT_SRC_IPV4));
            final InetAddress dst = TrafficProfile.address(a.string("dst-ip",
                ipv6 ? TrafficProfile.DEFAULT_DST_IPV6 : TrafficProfile.DEFAULT_DST_IPV4));
            if (ipv6 && src.getAddress().length != 16) {
                throw new UsageException("--ipv6 with an IPv4 --src-ip/--dst-ip: give IPv6 addresses, or drop --ipv6");
            }
            final EnumSet<FlowField> vary = EnumSet.noneOf(FlowField.class);
            for (final String f : a.string("vary", "src-port").split(",")) {
                vary.add(FlowField.parse(f));
            }
            return new TrafficProfile(mac(a, "src-mac", TrafficProfile.DEFAULT_SRC_MAC), mac(a, "dst-mac", TrafficProfile.DEFAULT_DST_MAC),
                src, dst, port(a, "src-port", TrafficProfile.DEFAULT_SRC_PORT), port(a, "dst-port", TrafficProfile.DEFAULT_DST_PORT),
                a.integer("flows", 1), vary, sizes);
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static long mac(final Arguments a, final String name, final long fallback) {
        if (!a.has(name)) {
            return fallback;
        }
        try {
            return MacAddress.parse(a.string(name, ""));
        } catch (final RuntimeException e) {
            throw new UsageException("--" + name + " '" + a.string(name, "") + "' is not a MAC address (02:00:00:00:00:01)");
        }
    }

    private static int port(final Arguments a, final String name, final int fallback) {
        final long p = a.count(name, fallback);
        if (p > 65_535) {
            throw new UsageException("--" + name + " " + p + " is not a UDP port (0..65535)");
        }
        return (int) p;
    }
}
