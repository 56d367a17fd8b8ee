package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.nativ.LinkQuery;
import dev.nsdp.dataplane.port.PacketSocketOptions;
import dev.nsdp.dataplane.port.PacketSocketPort;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.dataplane.port.TapPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** --link NAME (AF_PACKET on a kernel link) or --tap NAME, for gen and sink run against real links. */
final class KernelPorts {
    static final Set<String> VALUES = Set.of("link", "tap", "netns");
    static final String HELP = """
          port (one of):
            --link NAME       an AF_PACKET socket (TPACKET_V2 rings) on kernel link NAME, in this network namespace
            --tap NAME        TAP device NAME (created if missing)
            --netns NAME      the link or TAP is in kernel network namespace NAME (/run/netns/NAME, as
                              `ip netns add` makes them) [this process's own]
        """;
    private static final Path SYS_NET = Path.of("/sys/class/net");

    private KernelPorts() {
    }

    /** A pool whose buffers hold {@code largestFrame} bytes. */
    static PacketPool pool(final int largestFrame) {
        final int bufferSize = largestFrame + PacketPool.DEFAULT_HEADROOM <= 2048 ? 2048 : 16_384;
        return new PacketPool(16_384, bufferSize, PacketPool.DEFAULT_HEADROOM);
    }

    /** What the port is for: a generator's port only sends, a sink's only receives. */
    enum Direction {
        TRANSMIT, RECEIVE
    }

    /** The option names of a port whose options start with {@code prefix} ("" for gen and sink, "tx-"/"rx-" for a tester). */
    static Set<String> values(final String prefix) {
        return Set.of(prefix + "link", prefix + "tap", prefix + "netns");
    }

    static Port open(final Arguments a, final int largestFrame, final Direction direction) {
        return open(a, "", largestFrame, direction);
    }

    /** Opens the port given by --PREFIXlink/--PREFIXtap and --PREFIXnetns. */
    static Port open(final Arguments a, final String prefix, final int largestFrame, final Direction direction) {
        if (a.has(prefix + "link") == a.has(prefix + "tap")) {
            throw new UsageException("give the port: --" + prefix + "link NAME (AF_PACKET on a kernel link) or --" + prefix + "tap NAME");
        }
        final String netns = a.has(prefix + "netns") ? a.string(prefix + "netns", "") : null;
        final KernelNamespace namespace;
        try {
            namespace = netns == null ? KernelNamespace.current() : KernelNamespace.named(netns);
        } catch (final NativeException | IllegalArgumentException e) {
            throw new UsageException("unknown kernel network namespace '" + netns + "': " + e.getMessage()
                + " (`ip netns list` shows them)");
        }
        if (netns != null && !Files.exists(KernelNamespace.NAMED_DIR.resolve(netns))) {
            throw new UsageException("unknown kernel network namespace '" + netns + "': no " + KernelNamespace.NAMED_DIR.resolve(netns)
                + " (`ip netns list` shows them)");
        }
        if (a.has(prefix + "tap")) {
            final String name = a.string(prefix + "tap", "");
            try {
                return TapPort.open(name, namespace);
            } catch (final NativeException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot open TAP '" + name + "'" + where(netns) + ": " + e.getMessage(), e);
            }
        }
        final String name = a.string(prefix + "link", "");
        if (name.isEmpty() || name.contains("/")) {
            throw new UsageException("'" + name + "' is not a link name");
        }
        // The link's MTU: from /sys for this process's namespace, from inside the namespace otherwise
        // (sysfs shows the mounting namespace's links only).
        final int mtu = netns == null ? mtu(SYS_NET.resolve(name)) : namespace.call(() -> LinkQuery.mtu(name));
        if (mtu == -1 || (netns == null && !Files.isDirectory(SYS_NET.resolve(name)))) {
            throw new UsageException("unknown link '" + name + "'" + where(netns) + ": no such network interface"
                + (netns == null ? " (links here: " + links() + ")" : " (`ip -n " + netns + " link` lists them)"));
        }
        if (mtu > 0 && largestFrame > mtu + 14) {
            throw new UsageException("frame size " + (largestFrame + 4) + " is too large for link '" + name + "': its MTU " + mtu
                + " carries frames of at most " + (mtu + 18) + " bytes (FCS included)");
        }
        PacketSocketOptions options = PacketSocketOptions.defaults().withNamespace(namespace)
            .withFrameSize(largestFrame + 66 <= 2048 ? 2048 : 16_384);
        if (direction == Direction.TRANSMIT) {
            // A generator sends whole frames of its own (no GSO, so no virtio header to build), needs
            // no promiscuous membership, and by default skips the qdisc as trafgen does.
            options = options.withVnetHeader(false).withPromiscuous(false).withQdiscBypass(!a.flag("qdisc-path"));
        }
        try {
            return PacketSocketPort.open(name, options);
        } catch (final NativeException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot open link '" + name + "'" + where(netns) + ": " + e.getMessage(), e);
        }
    }

    private static String where(final String netns) {
        return netns == null ? "" : " in kernel network namespace '" + netns + "'";
    }

    private static int mtu(final Path dir) {
        try {
            return Integer.parseInt(Files.readString(dir.resolve("mtu")).trim());
        } catch (final IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String links() {
        try (Stream<Path> s = Files.list(SYS_NET)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(", "));
        } catch (final IOException e) {
            return "unknown";
        }
    }
}
