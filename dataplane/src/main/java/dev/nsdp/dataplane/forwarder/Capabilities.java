package dev.nsdp.dataplane.forwarder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process's effective capabilities (CapEff in /proc/self/status), checked before the forwarder
 * opens anything, so a missing privilege is one clear message instead of the first socket's errno.
 */
final class Capabilities {
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;
    static final int CAP_SYS_ADMIN = 21;

    static final String HOW = "run it as root, or inside `unshare -Urnm` (a private user and network namespace:"
        + " AF_PACKET ports on links of that namespace work there, TAPs and other kernel namespaces need real root)";

    private final long effective;

    private Capabilities(final long effective) {
        this.effective = effective;
    }

    /** This process's capabilities; all of them if /proc cannot tell (then the kernel's errno will). */
    static Capabilities ofThisProcess() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new Capabilities(Long.parseUnsignedLong(line.substring(7).trim(), 16));
                }
            }
        } catch (final IOException | NumberFormatException e) {
            // fall through: do not refuse to start on a /proc we cannot read
        }
        return new Capabilities(-1L);
    }

    boolean has(final int capability) {
        return (effective & (1L << capability)) != 0;
    }

    /**
     * Null when the process has what {@code config} needs, else a message naming the missing
     * capabilities and what to do.
     */
    String missingFor(final ForwarderConfig config) {
        if (config.ports().isEmpty()) {
            return null;
        }
        final List<String> missing = new ArrayList<>();
        final boolean anyAfPacket = config.ports().stream().anyMatch(p -> p.kind() == ConfigStatement.PortKind.AFPACKET);
        final boolean otherNamespace = config.ports().stream().anyMatch(p -> !p.kernelNamespace().isCurrent());
        if (!has(CAP_NET_ADMIN)) {
            missing.add("CAP_NET_ADMIN (promiscuous AF_PACKET ports, TAPs)");
        }
        if (anyAfPacket && !has(CAP_NET_RAW)) {
            missing.add("CAP_NET_RAW (AF_PACKET sockets)");
        }
        if (otherNamespace && !has(CAP_SYS_ADMIN)) {
            missing.add("CAP_SYS_ADMIN (opening ports in other kernel network namespaces)");
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "the forwarder lacks " + String.join(", ", missing) + ": " + HOW;
    }
}
