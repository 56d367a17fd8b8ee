package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.port.Port;

import java.util.TreeMap;

/**
 * The model's own, mutable record of one dataplane port: its index, the namespace it is in and its
 * name there, its admin state and its trunk VLAN mappings. Package-private, changed only by
 * {@link NamespaceRegistry}.
 */
final class AttachedPort {
    final int index;
    /** The live port; replaced (same index, name, settings) when a supervisor reopens its kernel link. */
    Port port;
    String name;
    Namespace namespace;
    boolean adminUp;
    /** Outer VLAN id → the namespace tagged frames belong to; ordered so snapshots are stable. */
    final TreeMap<Integer, Namespace> vlans = new TreeMap<>();

    AttachedPort(final int index, final Port port, final String name, final Namespace namespace) {
        this.index = index;
        this.port = port;
        this.name = name;
        this.namespace = namespace;
    }

    PortInfo info() {
        return new PortInfo(name, namespace.name, namespace.id, index, adminUp, false);
    }

    @Override
    public String toString() {
        return "port '" + name + "' (index " + index + ") in " + namespace;
    }
}
