package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.port.Port;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@link ForwardingPlane} for tests: records every call as one line of text, in order, and
 * replays the calls into a shadow of what a worker would hold. Each call is checked against the
 * contract a worker relies on (no port in a namespace announced as deleted, no MAC behind a port in
 * another namespace, ...), and {@link #assertMirrors} checks that the shadow equals the model, i.e.
 * that a worker applying the calls in order ends up exactly where the model is.
 */
final class RecordingPlane implements ForwardingPlane {
    final List<String> calls = new ArrayList<>();

    private final Map<Integer, NamespaceSettings> namespaces = new TreeMap<>();
    private final Map<Integer, Integer> portNamespace = new TreeMap<>();
    private final Map<Integer, Boolean> portUp = new TreeMap<>();
    private final Map<Integer, Port> ports = new HashMap<>();
    /** "portIndex/vlanId" → namespace id. */
    private final Map<String, Integer> vlans = new TreeMap<>();
    /** "namespaceId/mac" → port index. */
    private final Map<String, Integer> macs = new TreeMap<>();

    List<String> calls() {
        return List.copyOf(calls);
    }

    /** The calls recorded after the first {@code from}. */
    List<String> callsSince(final int from) {
        return List.copyOf(calls.subList(from, calls.size()));
    }

    @Override
    public void namespaceCreated(final int namespaceId, final Level level, final NamespaceSettings settings) {
        calls.add("namespaceCreated " + namespaceId + " " + level + " " + settings);
        check(!namespaces.containsKey(namespaceId), "namespace id " + namespaceId + " created while live");
        check(namespaceId >= 0 && namespaceId < MAX_NAMESPACES, "namespace id out of range");
        namespaces.put(namespaceId, Objects.requireNonNull(settings));
    }

    @Override
    public void namespaceDeleted(final int namespaceId) {
        calls.add("namespaceDeleted " + namespaceId);
        check(namespaces.containsKey(namespaceId), "deleting unknown namespace " + namespaceId);
        check(!portNamespace.containsValue(namespaceId), "namespace " + namespaceId + " deleted with ports still in it");
        check(!vlans.containsValue(namespaceId), "namespace " + namespaceId + " deleted with VLANs still mapped into it");
        check(macs.keySet().stream().noneMatch(key -> key.startsWith(namespaceId + "/")),
            "namespace " + namespaceId + " deleted with static MACs left");
        namespaces.remove(namespaceId);
    }

    @Override
    public void settingsChanged(final int namespaceId, final NamespaceSettings settings) {
        calls.add("settingsChanged " + namespaceId + " " + settings);
        check(namespaces.containsKey(namespaceId), "settings of unknown namespace " + namespaceId);
        namespaces.put(namespaceId, Objects.requireNonNull(settings));
    }

    @Override
    public void portAttached(final int portIndex, final Port port, final int namespaceId, final boolean adminUp) {
        calls.add("portAttached " + portIndex + " " + port.name() + " " + namespaceId + " " + (adminUp ? "up" : "down"));
        check(portIndex >= 0 && portIndex < MAX_PORTS, "port index out of range");
        check(!portNamespace.containsKey(portIndex), "port index " + portIndex + " attached twice");
        check(namespaces.containsKey(namespaceId), "port attached to unknown namespace " + namespaceId);
        portNamespace.put(portIndex, namespaceId);
        portUp.put(portIndex, adminUp);
        ports.put(portIndex, port);
    }

    @Override
    public void portDetached(final int portIndex) {
        calls.add("portDetached " + portIndex);
        check(portNamespace.containsKey(portIndex), "detaching unknown port " + portIndex);
        check(!macs.containsValue(portIndex), "port " + portIndex + " detached with static MACs behind it");
        check(vlans.keySet().stream().noneMatch(key -> key.startsWith(portIndex + "/")),
            "port " + portIndex + " detached with VLAN mappings");
        portNamespace.remove(portIndex);
        portUp.remove(portIndex);
        ports.remove(portIndex);
    }

    @Override
    public void portMoved(final int portIndex, final int namespaceId) {
        calls.add("portMoved " + portIndex + " " + namespaceId);
        check(portNamespace.containsKey(portIndex), "moving unknown port " + portIndex);
        check(namespaces.containsKey(namespaceId), "port moved to unknown namespace " + namespaceId);
        check(!macs.containsValue(portIndex), "port " + portIndex + " moved with static MACs behind it in its old namespace");
        portNamespace.put(portIndex, namespaceId);
    }

    @Override
    public void portAdminState(final int portIndex, final boolean up) {
        calls.add("portAdminState " + portIndex + " " + (up ? "up" : "down"));
        check(portNamespace.containsKey(portIndex), "admin state of unknown port " + portIndex);
        portUp.put(portIndex, up);
    }

    @Override
    public void vlanMapped(final int portIndex, final int vlanId, final int namespaceId) {
        calls.add("vlanMapped " + portIndex + " " + vlanId + " " + namespaceId);
        check(portNamespace.containsKey(portIndex), "VLAN on unknown port " + portIndex);
        check(vlanId >= 1 && vlanId <= 4094, "VLAN id " + vlanId + " out of range");
        final String key = portIndex + "/" + vlanId;
        if (namespaceId == -1) {
            check(vlans.containsKey(key), "unmapping VLAN " + key + " that is not mapped");
            vlans.remove(key);
        } else {
            check(namespaces.containsKey(namespaceId), "VLAN mapped to unknown namespace " + namespaceId);
            vlans.put(key, namespaceId);
        }
    }

    @Override
    public void staticMacAdded(final int namespaceId, final long mac, final int portIndex) {
        calls.add("staticMacAdded " + namespaceId + " " + MacAddress.format(mac) + " " + portIndex);
        check(namespaces.containsKey(namespaceId), "static MAC in unknown namespace " + namespaceId);
        check(Objects.equals(portNamespace.get(portIndex), namespaceId), "static MAC behind port " + portIndex
            + " which is not in namespace " + namespaceId);
        final String key = namespaceId + "/" + MacAddress.format(mac);
        check(!macs.containsKey(key), "static MAC " + key + " added twice");
        macs.put(key, portIndex);
    }

    @Override
    public void staticMacRemoved(final int namespaceId, final long mac) {
        calls.add("staticMacRemoved " + namespaceId + " " + MacAddress.format(mac));
        final String key = namespaceId + "/" + MacAddress.format(mac);
        check(macs.containsKey(key), "removing static MAC " + key + " that is not there");
        macs.remove(key);
    }

    /** The worker's view, rebuilt from the calls, equals the model's. */
    void assertMirrors(final NamespaceRegistry registry) {
        final Map<Integer, NamespaceSettings> modelNamespaces = new TreeMap<>();
        final Map<Integer, Integer> modelPortNamespace = new TreeMap<>();
        final Map<Integer, Boolean> modelPortUp = new TreeMap<>();
        final Map<String, Integer> modelVlans = new TreeMap<>();
        final Map<String, Integer> modelMacs = new TreeMap<>();
        for (final NamespaceInfo namespace : registry.namespaces()) {
            modelNamespaces.put(namespace.id(), namespace.settings());
            for (final PortInfo port : registry.ports(namespace.name())) {
                modelPortNamespace.put(port.portIndex(), port.namespaceId());
                modelPortUp.put(port.portIndex(), port.adminUp());
            }
            for (final StaticMacInfo mac : registry.staticMacs(namespace.name())) {
                modelMacs.put(namespace.id() + "/" + MacAddress.format(mac.mac()),
                    registry.port(namespace.name(), mac.port()).portIndex());
            }
            for (final VlanMappingInfo mapping : registry.vlanMappings(namespace.name())) {
                modelVlans.put(registry.port(namespace.name(), mapping.port()).portIndex() + "/" + mapping.vlanId(),
                    registry.namespace(mapping.targetNamespace()).id());
            }
        }
        assertEquals(modelNamespaces, namespaces, "namespaces and settings as the worker sees them");
        assertEquals(modelPortNamespace, portNamespace, "port → namespace as the worker sees it");
        assertEquals(modelPortUp, portUp, "port admin state as the worker sees it");
        assertEquals(modelVlans, vlans, "VLAN mappings as the worker sees them");
        assertEquals(modelMacs, macs, "static MACs as the worker sees them");
    }

    private static void check(final boolean condition, final String contractBroken) {
        if (!condition) {
            throw new AssertionError("ForwardingPlane contract broken: " + contractBroken);
        }
    }
}
