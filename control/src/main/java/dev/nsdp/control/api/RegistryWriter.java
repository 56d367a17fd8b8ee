package dev.nsdp.control.api;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.NamespaceState;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Request;
import dev.nsdp.control.model.RequestCodec;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.NamespaceException;
import dev.nsdp.dataplane.namespace.NamespaceInfo;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.namespace.PortInfo;
import dev.nsdp.dataplane.port.Port;
import java.util.List;

/**
 * Applies one change {@link Request} to one {@link NamespaceRegistry}: the verb → registry call
 * mapping, used for the control service's validation registry and for the live one alike, so both
 * see exactly the same calls. Every request is one registry call, except {@code namespace.import};
 * an import that fails part-way is undone here (the namespace it created is deleted and its ports
 * detached), which leaves the registry as it was in everything but the namespace-id allocator's
 * position (ids are never part of a decision).
 */
final class RegistryWriter {
    /** What one applied change produced: its reply result, and a port the registry let go of. */
    record Applied(Object result, PortInfo attached, Port detached) {
    }

    /** Supplies the port objects a request attaches, in request order. */
    interface PortSupply {
        Port next(PortSpec spec);
    }

    private static final Caller UNDO = Caller.administrator("nsdp-undo");

    private final NamespaceRegistry registry;

    RegistryWriter(final NamespaceRegistry registry) {
        this.registry = registry;
    }

    NamespaceRegistry registry() {
        return registry;
    }

    /** Applies {@code request}; throws NamespaceException or ControlException, having changed nothing. */
    Applied apply(final Caller caller, final Request request, final PortSupply ports) {
        return switch (request) {
            case Request.AddNamespace r -> new Applied(JsonViews.namespace(registry.createNamespace(caller, r.name(), r.level(),
                r.parent() == null ? NamespaceRegistry.ROOT_NAME : r.parent(),
                r.owner() == null ? caller.principal() : r.owner())), null, null);
            case Request.DeleteNamespace r -> {
                final List<PortInfo> returned = registry.deleteNamespace(caller, r.name());
                yield new Applied(java.util.Map.of("returned", returned.stream().map(p -> (Object) p.name()).toList()), null, null);
            }
            case Request.SetNamespace r -> {
                // The new settings are computed before the registry is touched: a bad value refuses the whole request.
                final NamespaceInfo current = registry.namespace(r.name());
                final NamespaceSettings settings = RequestCodec.applySettings(current.settings(), r.settings());
                yield new Applied(JsonViews.namespace(registry.setSettings(caller, r.name(), settings)), null, null);
            }
            case Request.ImportNamespace r -> new Applied(JsonViews.namespace(importNamespace(caller, r.state(), ports)), null, null);
            case Request.AddPort r -> {
                final PortInfo info = registry.addPort(caller, r.namespace(), r.name(), ports.next(r.spec()));
                yield new Applied(null, info, null);
            }
            case Request.DeletePort r -> new Applied(null, null, registry.removePort(caller, r.namespace(), r.name()));
            case Request.SetPortUp r -> new Applied(null, registry.setPortUp(caller, r.namespace(), r.name(), r.up()), null);
            case Request.MovePort r -> new Applied(null, registry.movePort(caller, r.name(), r.namespace(), r.to(),
                r.newName() == null ? r.name() : r.newName()), null);
            case Request.MapVlan r -> new Applied(JsonViews.vlan(registry.mapVlan(caller, r.namespace(), r.port(), r.vlan(), r.to())),
                null, null);
            case Request.UnmapVlan r -> {
                registry.unmapVlan(caller, r.namespace(), r.port(), r.vlan());
                yield new Applied(java.util.Map.of(), null, null);
            }
            case Request.AddStaticMac r -> new Applied(JsonViews.mac(registry.addStaticMac(caller, r.namespace(), r.mac(), r.port())),
                null, null);
            case Request.DeleteStaticMac r -> {
                registry.removeStaticMac(caller, r.namespace(), r.mac());
                yield new Applied(java.util.Map.of(), null, null);
            }
            case Request.Query q -> throw new IllegalArgumentException(q.verb() + " is not a change");
        };
    }

    private NamespaceInfo importNamespace(final Caller caller, final NamespaceState state, final PortSupply ports) {
        final NamespaceInfo created = registry.createNamespace(caller, state.name(), state.level(),
            state.parent() == null ? NamespaceRegistry.ROOT_NAME : state.parent(), state.owner());
        String step = "settings";
        try {
            if (!state.settings().equals(created.settings())) {
                registry.setSettings(caller, state.name(), state.settings());
            }
            if (state.loopbackUp()) {
                step = "loopback";
                registry.setLoopbackUp(caller, state.name(), true);
            }
            for (final NamespaceState.PortState port : state.ports()) {
                step = "port '" + port.name() + "'";
                registry.addPort(caller, state.name(), port.name(), ports.next(port.spec()));
                if (port.up()) {
                    registry.setPortUp(caller, state.name(), port.name(), true);
                }
            }
            for (final NamespaceState.VlanState vlan : state.vlans()) {
                step = "VLAN " + vlan.vlan() + " on '" + vlan.port() + "'";
                registry.mapVlan(caller, state.name(), vlan.port(), vlan.vlan(), vlan.to());
            }
            for (final NamespaceState.MacState mac : state.macs()) {
                step = "static MAC " + dev.nsdp.dataplane.codec.MacAddress.format(mac.mac());
                registry.addStaticMac(caller, state.name(), mac.mac(), mac.port());
            }
        } catch (final NamespaceException e) {
            undoImport(state.name());
            throw new ControlException(new dev.nsdp.control.model.ControlError(ErrorKind.of(e.kind()), e.errnoName(), e.errno(),
                "import of namespace '" + state.name() + "' refused at " + step + ": " + e.detail() + "; nothing was imported"));
        }
        return registry.namespace(state.name());
    }

    /** Deletes the half-imported namespace and detaches the ports it had attached (they went to root). */
    private void undoImport(final String name) {
        for (final PortInfo returned : registry.deleteNamespace(UNDO, name)) {
            registry.removePort(UNDO, NamespaceRegistry.ROOT_NAME, returned.name());
        }
    }
}
