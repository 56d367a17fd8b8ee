package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.nativ.NativeException;
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
    static final Set<String> VALUES = Set.of("link", "tap");
    static final String HELP = """
          port (one of):
            --link NAME       an AF_PACKET socket (TPACKET_V2 rings) on kernel link NAME, in this network namespace
            --tap NAME        TAP device NAME (created if missing)
        """;
    private static final Path SYS_NET = Path.of("/sys/class/net");

    private KernelPorts() {
    }

    /** A pool whose buffers hold {@code largestFrame} bytes. */
    static PacketPool pool(final int largestFrame) {
        final int bufferSize = largestFrame + PacketPool.DEFAULT_HEADROOM <= 2048 ? 2048 : 16_384;
        return new PacketPool(16_384, bufferSize, PacketPool.DEFAULT_HEADROOM);
    }

    static Port open(final Arguments a, final int largestFrame) {
        if (a.has("link") == a.has("tap")) {
            throw new UsageException("give the port: --link NAME (AF_PACKET on a kernel link) or --tap NAME");
        }
        if (a.has("tap")) {
            final String name = a.string("tap", "");
            try {
                return TapPort.open(name);
            } catch (final NativeException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot open TAP '" + name + "': " + e.getMessage(), e);
            }
        }
        final String name = a.string("link", "");
        final Path dir = SYS_NET.resolve(name);
        if (name.isEmpty() || name.contains("/") || !Files.isDirectory(dir)) {
            throw new UsageException("unknown link '" + name + "': no such network interface in this network namespace (links here: "
                + links() + ")");
        }
        final int mtu = mtu(dir);
        if (mtu > 0 && largestFrame > mtu + 14) {
            throw new UsageException("frame size " + (largestFrame + 4) + " is too large for link '" + name + "': its MTU " + mtu
                + " carries frames of at most " + (mtu + 18) + " bytes (FCS included)");
        }
        final PacketSocketOptions options = PacketSocketOptions.defaults().withFrameSize(largestFrame + 66 <= 2048 ? 2048 : 16_384);
        try {
            return PacketSocketPort.open(name, options);
        } catch (final NativeException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot open link '" + name + "': " + e.getMessage(), e);
        }
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
