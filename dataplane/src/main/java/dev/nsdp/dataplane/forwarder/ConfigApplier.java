package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.forwarder.ConfigException.Problem;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceException;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.port.InertPort;
import dev.nsdp.dataplane.port.Port;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies configuration statements to a {@link NamespaceRegistry}, in file order. The same code
 * serves twice: first as a dry run against a private registry whose plane does nothing and whose
 * ports are placeholders (so the namespace model itself judges every line, and a bad file is
 * refused before any socket or TAP exists); then for real, with opened ports, on the dataplane's
 * registry. Ports are attached down and set up only after every statement is in, so no frame is
 * switched by a half-applied configuration.
 */
final class ConfigApplier {
    /** The configuration file acts with an administrator's rights. */
    static final Caller CALLER = Caller.administrator("forwarder");

    private ConfigApplier() {
    }

    /**
     * Checks {@code statements} against a fresh registry without touching the kernel or a worker.
     * Returns the problems, each with its line; none means the real application will succeed.
     */
    static List<Problem> dryRun(final List<ConfigStatement> statements) {
        final List<Problem> problems = new ArrayList<>();
        checkKernelLinksUsedOnce(statements, problems);
        apply(new NamespaceRegistry(NO_PLANE), statements, statement -> new InertPort(statement.name()), problems);
        return problems;
    }

    /**
     * Applies {@code statements} with the given ports, collecting refusals into {@code problems}
     * (after a clean dry run there are none).
     */
    static void apply(final NamespaceRegistry registry, final List<ConfigStatement> statements,
                      final Function<ConfigStatement.Port, Port> ports, final List<Problem> problems) {
        final List<ConfigStatement.Port> toSetUp = new ArrayList<>();
        for (final ConfigStatement statement : statements) {
            try {
                switch (statement) {
                    case ConfigStatement.Namespace n -> {
                        if (NamespaceRegistry.ROOT_NAME.equals(n.name())) {
                            throw new NamespaceException(NamespaceException.Kind.EXISTS,
                                "the root namespace 'root' always exists; put ports in it without declaring it");
                        }
                        registry.createNamespace(CALLER, n.name(), n.level(), NamespaceRegistry.ROOT_NAME,
                            n.owner() == null ? NamespaceRegistry.ROOT_OWNER : n.owner());
                    }
                    case ConfigStatement.Port p -> {
                        registry.addPort(CALLER, p.namespace(), p.name(), ports.apply(p));
                        if (p.up()) {
                            toSetUp.add(p);
                        }
                    }
                    case ConfigStatement.Vlan v -> registry.mapVlan(CALLER, v.namespace(), v.port(), v.vlanId(), v.target());
                    case ConfigStatement.StaticMac m -> registry.addStaticMac(CALLER, m.namespace(), m.mac(), m.port());
                    case ConfigStatement.Setting s -> {
                        final NamespaceSettings current = currentSettings(registry, s.namespace());
                        registry.setSettings(CALLER, s.namespace(), current.withSetting(s.setting(), s.value()));
                    }
                }
            } catch (final NamespaceException e) {
                problems.add(new Problem(statement.line(), e.getMessage()));
            } catch (final IllegalArgumentException e) {
                // Only settings parse values this late (NamespaceSettings.withSetting judges them).
                problems.add(new Problem(statement.line(), statement instanceof ConfigStatement.Setting s
                    ? "set " + s.namespace() + " " + s.setting() + ": " + e.getMessage() : e.getMessage()));
            }
        }
        for (final ConfigStatement.Port p : toSetUp) {
            try {
                registry.setPortUp(CALLER, p.namespace(), p.name(), true);
            } catch (final NamespaceException e) {
                problems.add(new Problem(p.line(), e.getMessage()));
            }
        }
    }

    /** Re-applies what detaching a port removed (its VLAN mappings and the static MACs behind it) and its up state. */
    static void reattach(final NamespaceRegistry registry, final List<ConfigStatement> statements,
                         final ConfigStatement.Port port, final Port opened) {
        registry.addPort(CALLER, port.namespace(), port.name(), opened);
        for (final ConfigStatement statement : statements) {
            switch (statement) {
                case ConfigStatement.Vlan v when v.namespace().equals(port.namespace()) && v.port().equals(port.name()) ->
                    registry.mapVlan(CALLER, v.namespace(), v.port(), v.vlanId(), v.target());
                case ConfigStatement.StaticMac m when m.namespace().equals(port.namespace()) && m.port().equals(port.name()) ->
                    registry.addStaticMac(CALLER, m.namespace(), m.mac(), m.port());
                default -> {
                }
            }
        }
        if (port.up()) {
            registry.setPortUp(CALLER, port.namespace(), port.name(), true);
        }
    }

    private static NamespaceSettings currentSettings(final NamespaceRegistry registry, final String namespace) {
        return registry.namespace(namespace).settings();
    }

    /** Two ports on one kernel link would each see (and send) every frame: refuse it. */
    private static void checkKernelLinksUsedOnce(final List<ConfigStatement> statements, final List<Problem> problems) {
        final Map<String, ConfigStatement.Port> byLink = new HashMap<>();
        for (final ConfigStatement statement : statements) {
            if (statement instanceof ConfigStatement.Port p) {
                final String key = p.kernelNamespace().displayName() + "\u0000" + p.link();
                final ConfigStatement.Port first = byLink.putIfAbsent(key, p);
                if (first != null) {
                    problems.add(new Problem(p.line(), "port " + p.namespace() + "/" + p.name() + ": kernel link '" + p.link()
                        + "' in kernel namespace '" + p.kernelNamespace().displayName() + "' is already port "
                        + first.namespace() + "/" + first.name() + " (line " + first.line()
                        + "); one port per link (use vlan lines to share a trunk between namespaces)"));
                }
            }
        }
    }

    /** The dry run's plane: the registry announces every change, and nothing listens. */
    private static final ForwardingPlane NO_PLANE = new ForwardingPlane() {
        @Override
        public void namespaceCreated(final int namespaceId, final Level level, final NamespaceSettings settings) {
        }

        @Override
        public void namespaceDeleted(final int namespaceId) {
        }

        @Override
        public void settingsChanged(final int namespaceId, final NamespaceSettings settings) {
        }

        @Override
        public void portAttached(final int portIndex, final Port port, final int namespaceId, final boolean adminUp) {
        }

        @Override
        public void portDetached(final int portIndex) {
        }

        @Override
        public void portMoved(final int portIndex, final int namespaceId) {
        }

        @Override
        public void portAdminState(final int portIndex, final boolean up) {
        }

        @Override
        public void vlanMapped(final int portIndex, final int vlanId, final int namespaceId) {
        }

        @Override
        public void staticMacAdded(final int namespaceId, final long mac, final int portIndex) {
        }

        @Override
        public void staticMacRemoved(final int namespaceId, final long mac) {
        }
    };
}
