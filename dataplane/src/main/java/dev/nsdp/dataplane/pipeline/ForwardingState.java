package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.port.Port;
import java.util.Arrays;

/**
 * The forwarding state one worker owns: which ports it polls, which namespace each port (and each
 * VLAN of a trunk port) belongs to, each namespace's settings and flood list. Written only by the
 * worker thread (through {@link WorkerCommand}s); read by the same thread on the hot path. Small
 * per-namespace state is instanced in arrays indexed by namespace id (seed 004).
 */
final class ForwardingState {
    static final int NO_NAMESPACE = -1;
    static final int UNTAGGED = 0;
    private static final int[] NO_MEMBERS = new int[0];

    final Port[] ports = new Port[ForwardingPlane.MAX_PORTS];
    final int[] portNamespace = new int[ForwardingPlane.MAX_PORTS];
    final boolean[] portAdminUp = new boolean[ForwardingPlane.MAX_PORTS];
    /**
     * Admin up and link up, refreshed once per poll round ({@link #refreshPortStates}), so a frame's
     * egress check is one array load instead of an interface call and a volatile read.
     */
    final boolean[] portUsable = new boolean[ForwardingPlane.MAX_PORTS];
    /** Trunk ports only: VLAN id (1..4094) → namespace, else null. */
    final int[][] trunkVlanNamespace = new int[ForwardingPlane.MAX_PORTS][];
    /**
     * Trunk ports only: namespace → VLAN id used when sending into that namespace (0: none), else
     * null. A direct array (128 KiB per trunk port), not a hash map: with thousands of namespaces on
     * a trunk the per-frame egress lookup is one load from a range that stays in cache.
     */
    final short[][] trunkNamespaceVlan = new short[ForwardingPlane.MAX_PORTS][];

    /** Indices of attached ports, dense, in attach order: the poll list. */
    int[] activePorts = NO_MEMBERS;

    final boolean[] namespaceExists = new boolean[ForwardingPlane.MAX_NAMESPACES];
    /** False for level-3 namespaces: no L2 table, so no learning and no switching. */
    final boolean[] namespaceSwitches = new boolean[ForwardingPlane.MAX_NAMESPACES];
    final NamespaceSettings[] settings = new NamespaceSettings[ForwardingPlane.MAX_NAMESPACES];
    /** Per namespace: the ports a flooded frame goes to, and the VLAN tag (0: none) on each. */
    final int[][] floodPorts = new int[ForwardingPlane.MAX_NAMESPACES][];
    final int[][] floodVlans = new int[ForwardingPlane.MAX_NAMESPACES][];

    ForwardingState() {
        Arrays.fill(portNamespace, NO_NAMESPACE);
        Arrays.fill(floodPorts, NO_MEMBERS);
        Arrays.fill(floodVlans, NO_MEMBERS);
    }

    /** Namespace of a frame that arrived on {@code port} with outer VLAN {@code vlanId} (0 if untagged). */
    int classify(final int port, final int vlanId) {
        if (vlanId != UNTAGGED) {
            final int[] trunk = trunkVlanNamespace[port];
            return trunk == null ? NO_NAMESPACE : trunk[vlanId];
        }
        return portNamespace[port];
    }

    /** VLAN tag to put on a frame of {@code namespace} leaving by {@code port}: 0 for none, -1 if the port is not in it. */
    int egressVlan(final int port, final int namespace) {
        if (portNamespace[port] == namespace) {
            return UNTAGGED;
        }
        final short[] byNamespace = trunkNamespaceVlan[port];
        if (byNamespace == null) {
            return -1;
        }
        final int vlan = byNamespace[namespace];
        return vlan == 0 ? -1 : vlan;
    }

    void refreshPortStates() {
        for (final int port : activePorts) {
            portUsable[port] = portAdminUp[port] && ports[port].isLinkUp();
        }
    }

    void addActivePort(final int port) {
        final int[] grown = Arrays.copyOf(activePorts, activePorts.length + 1);
        grown[activePorts.length] = port;
        activePorts = grown;
    }

    void removeActivePort(final int port) {
        int n = 0;
        final int[] kept = new int[activePorts.length];
        for (final int p : activePorts) {
            if (p != port) {
                kept[n++] = p;
            }
        }
        activePorts = Arrays.copyOf(kept, n);
    }

    void mapVlan(final int port, final int vlanId, final int namespace) {
        int[] trunk = trunkVlanNamespace[port];
        if (trunk == null) {
            trunk = new int[4096];
            Arrays.fill(trunk, NO_NAMESPACE);
            trunkVlanNamespace[port] = trunk;
            trunkNamespaceVlan[port] = new short[ForwardingPlane.MAX_NAMESPACES];
        }
        final int previous = trunk[vlanId];
        if (previous != NO_NAMESPACE && trunkNamespaceVlan[port][previous] == vlanId) {
            trunkNamespaceVlan[port][previous] = 0;
        }
        trunk[vlanId] = namespace;
        if (namespace != NO_NAMESPACE) {
            trunkNamespaceVlan[port][namespace] = (short) vlanId;
        }
    }

    void clearTrunk(final int port) {
        trunkVlanNamespace[port] = null;
        trunkNamespaceVlan[port] = null;
    }

    /** Drops every VLAN mapping that points into {@code namespace}. */
    void unmapNamespace(final int namespace) {
        for (final int port : activePorts) {
            final int[] trunk = trunkVlanNamespace[port];
            if (trunk != null) {
                for (int vid = 1; vid < trunk.length; vid++) {
                    if (trunk[vid] == namespace) {
                        mapVlan(port, vid, NO_NAMESPACE);
                    }
                }
            }
        }
    }

    /**
     * Recomputes every namespace's flood list from the ports and trunk mappings. Configuration
     * time only (allocates); the hot path reads the arrays it leaves.
     */
    void rebuildFloodLists() {
        final int[] counts = new int[ForwardingPlane.MAX_NAMESPACES];
        forEachMembership((port, vlan, ns) -> counts[ns]++);
        final int[] fill = new int[ForwardingPlane.MAX_NAMESPACES];
        for (int ns = 0; ns < counts.length; ns++) {
            floodPorts[ns] = counts[ns] == 0 ? NO_MEMBERS : new int[counts[ns]];
            floodVlans[ns] = counts[ns] == 0 ? NO_MEMBERS : new int[counts[ns]];
        }
        forEachMembership((port, vlan, ns) -> {
            floodPorts[ns][fill[ns]] = port;
            floodVlans[ns][fill[ns]] = vlan;
            fill[ns]++;
        });
    }

    private interface MembershipVisitor {
        void visit(int port, int vlan, int namespace);
    }

    private void forEachMembership(final MembershipVisitor visitor) {
        for (final int port : activePorts) {
            final int ns = portNamespace[port];
            if (ns != NO_NAMESPACE && namespaceExists[ns]) {
                visitor.visit(port, UNTAGGED, ns);
            }
            final int[] trunk = trunkVlanNamespace[port];
            if (trunk != null) {
                for (int vid = 1; vid < trunk.length; vid++) {
                    final int vns = trunk[vid];
                    if (vns != NO_NAMESPACE && namespaceExists[vns]) {
                        visitor.visit(port, vid, vns);
                    }
                }
            }
        }
    }
}
