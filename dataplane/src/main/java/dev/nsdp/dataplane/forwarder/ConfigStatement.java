package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.port.PacketSocketOptions;

/**
 * One statement of a forwarder configuration file, as parsed: syntax checked, values in range,
 * not yet checked against the namespace model (that is {@link ConfigApplier}'s dry run). Each
 * statement remembers its line, so every later error can name it.
 */
public sealed interface ConfigStatement {
    /** The 1-based line of the file the statement came from. */
    int line();

    /** {@code namespace NAME [level l2|l3] [owner PRINCIPAL]}. */
    record Namespace(int line, String name, Level level, String owner) implements ConfigStatement {
    }

    /**
     * {@code port NAMESPACE NAME afpacket link LINK ...} or {@code port NAMESPACE NAME tap [name TAP] ...}.
     *
     * @param link       the kernel link the port opens: the veth/macvlan/NIC for afpacket, the tap's name for tap
     * @param kernelNamespace where the link is (or where the tap is created)
     * @param up         set the port administratively up once everything is configured
     * @param options    ring settings, afpacket only (null for tap)
     */
    record Port(int line, String namespace, String name, PortKind kind, String link, KernelNamespace kernelNamespace,
                boolean up, PacketSocketOptions options) implements ConfigStatement {

        /** For messages: {@code port red/v0 (afpacket link veth0 in kernel namespace 'lab')}. */
        public String describe() {
            return "port " + namespace + "/" + name + " (" + kind.keyword() + " " + (kind == PortKind.TAP ? "name " : "link ")
                + link + " in kernel namespace '" + kernelNamespace.displayName() + "')";
        }
    }

    /** {@code vlan NAMESPACE PORT VID TARGET}: tagged frames of VID on the trunk port belong to TARGET. */
    record Vlan(int line, String namespace, String port, int vlanId, String target) implements ConfigStatement {
    }

    /** {@code mac NAMESPACE MAC port PORT}: a static MAC table entry. */
    record StaticMac(int line, String namespace, long mac, String port) implements ConfigStatement {
    }

    /** {@code set NAMESPACE SETTING VALUE}: one of the namespace's settings (mac-aging, mac-limit ...). */
    record Setting(int line, String namespace, String setting, String value) implements ConfigStatement {
    }

    /** The kinds of port a configuration can open. */
    enum PortKind {
        /** An AF_PACKET socket with TPACKET_V2 rings on an existing kernel link. */
        AFPACKET("afpacket"),
        /** A TAP device, created (or attached to, if persistent) by the forwarder. */
        TAP("tap");

        private final String keyword;

        PortKind(final String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }
}
