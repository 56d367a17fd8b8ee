package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.dataplane.port.Port;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh registry over a {@link RecordingPlane} for every test, plus the check every refused
 * operation must pass: the right kind of error, a message that names the problem, and no change —
 * neither in the model (a full snapshot before and after) nor in the calls sent to the plane.
 * After every test the model's invariants hold and the plane's replayed view equals the model.
 */
abstract class RegistryTestSupport {
    static final Caller ADMIN = Caller.administrator("admin");
    static final Caller ALICE = Caller.user("alice");
    static final Caller BOB = Caller.user("bob");

    RecordingPlane plane;
    NamespaceRegistry registry;

    @BeforeEach
    void newRegistry() {
        plane = new RecordingPlane();
        registry = new NamespaceRegistry(plane);
    }

    @AfterEach
    void modelIsConsistentAndMirrored() {
        registry.checkInvariants();
        plane.assertMirrors(registry);
    }

    /** A real in-memory port (one end of a MemoryLink with tiny rings: tests never send frames on it). */
    static Port newPort(final String name) {
        return new MemoryLink(name, name + "-peer", 2).a();
    }

    PortInfo addPort(final String namespace, final String name) {
        return registry.addPort(ADMIN, namespace, name, newPort(name));
    }

    /** Everything the model shows, in a comparable form. */
    List<Object> snapshot() {
        final List<Object> all = new ArrayList<>();
        all.add(registry.namespaceCount());
        all.add(registry.portCount());
        for (final NamespaceInfo namespace : registry.namespaces()) {
            all.add(namespace);
            all.add(registry.devices(namespace.name()));
            all.add(registry.staticMacs(namespace.name()));
            all.add(registry.vlanMappings(namespace.name()));
        }
        return all;
    }

    /**
     * Runs {@code operation}, which must be refused with {@code kind} and a message containing every
     * one of {@code messageParts}, and must change nothing in the model or in the plane.
     */
    NamespaceException assertRefused(final NamespaceException.Kind kind, final Executable operation, final String... messageParts) {
        final List<Object> before = snapshot();
        final List<String> callsBefore = plane.calls();
        final NamespaceException refused = assertThrows(NamespaceException.class, operation);
        assertEquals(kind, refused.kind(), () -> "kind of: " + refused.getMessage());
        assertTrue(refused.getMessage().startsWith(refused.errnoName() + ": "), refused.getMessage());
        for (final String part : messageParts) {
            assertTrue(refused.getMessage().contains(part), () -> "message '" + refused.getMessage() + "' should say '" + part + "'");
        }
        assertEquals(before, snapshot(), "a refused operation must not change the model");
        assertEquals(callsBefore, plane.calls(), "a refused operation must not reach the forwarding plane");
        registry.checkInvariants();
        return refused;
    }
}
