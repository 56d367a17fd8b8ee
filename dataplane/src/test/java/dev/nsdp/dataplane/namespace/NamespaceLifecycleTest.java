package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.namespace.NamespaceException.Kind;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceLifecycleTest extends RegistryTestSupport {

    @Test
    void rootExistsFromTheStartWithOnlyItsLoopbackDown() {
        final NamespaceInfo root = registry.namespace("root");
        assertEquals(0, root.id());
        assertEquals(Level.L2, root.level());
        assertEquals("root", root.owner());
        assertNull(root.parent());
        assertTrue(root.isRoot());
        assertEquals(NamespaceSettings.DEFAULTS, root.settings());
        assertFalse(root.loopbackUp());
        assertEquals(List.of(new PortInfo("lo", "root", 0, -1, false, true)), registry.devices("root"));
        assertEquals(List.of(), registry.ports("root"));
        assertEquals(List.of(root), registry.namespaces());
        assertEquals(List.of("namespaceCreated 0 L2 " + NamespaceSettings.DEFAULTS), plane.calls());
    }

    @Test
    void aNewNamespaceHasOnlyItsOwnLoopbackDownAndDefaultSettings() {
        addPort("root", "eth0");
        final int mark = plane.calls.size();

        final NamespaceInfo red = registry.createNamespace(ADMIN, "red", Level.L2, "root", "alice");

        assertEquals(new NamespaceInfo(1, "red", Level.L2, "root", "alice", NamespaceSettings.DEFAULTS, false, List.of(),
            List.of()), red);
        assertEquals(red, registry.namespace("red"));
        assertEquals(List.of(new PortInfo("lo", "red", 1, -1, false, true)), registry.devices("red"));
        assertEquals(List.of(), registry.staticMacs("red"));
        assertEquals(List.of("namespaceCreated 1 L2 " + NamespaceSettings.DEFAULTS), plane.callsSince(mark));
        assertEquals(List.of("red"), registry.namespace("root").children());
        // root's port is not visible from red: the isolation starts empty.
        assertRefused(Kind.NOT_FOUND, () -> registry.port("red", "eth0"), "namespace 'red' has no device 'eth0'");
    }

    @Test
    void eachLoopbackIsTheNamespacesOwnAndGoesUpAndDownWithoutTouchingThePlane() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        final int mark = plane.calls.size();

        assertEquals(new PortInfo("lo", "red", 1, -1, true, true), registry.setLoopbackUp(ADMIN, "red", true));

        assertTrue(registry.namespace("red").loopbackUp());
        assertFalse(registry.namespace("root").loopbackUp(), "root's loopback is another device");
        assertEquals(new PortInfo("lo", "red", 1, -1, true, true), registry.port("red", "lo"));
        registry.setPortUp(ADMIN, "red", "lo", false);
        assertFalse(registry.port("red", "lo").adminUp());
        assertEquals(List.of(), plane.callsSince(mark));
    }

    @Test
    void anUnprivilegedOwnerCreatesChildrenOfItsOwnNamespaceOnlyForItself() {
        registry.createNamespace(ADMIN, "red", Level.L2, "root", "alice");

        final NamespaceInfo kid = registry.createNamespace(ALICE, "red-kid", Level.L3, "red", "alice");

        assertEquals("red", kid.parent());
        assertEquals(Level.L3, kid.level());
        assertEquals(List.of("red-kid"), registry.namespace("red").children());
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.createNamespace(ALICE, "blue", Level.L2),
            "EPERM", "user 'alice' may not create namespaces under 'root'", "owned by 'root'");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.createNamespace(ALICE, "red-2", Level.L2, "red", "bob"),
            "may only create namespaces it owns itself", "'bob'");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.createNamespace(BOB, "red-3", Level.L2, "red", "bob"),
            "user 'bob' may not create namespaces under 'red'", "owned by 'alice'");
        // The principal that owns root needs no privilege for it.
        registry.createNamespace(Caller.user("root"), "blue", Level.L2);
        assertEquals("root", registry.namespace("blue").owner());
    }

    @Test
    void aLevel3NamespaceMayNotCreateChildrenNotEvenForAnAdministrator() {
        registry.createNamespace(ADMIN, "l3", Level.L3, "root", "alice");

        final NamespaceException refused = assertRefused(Kind.PERMISSION_DENIED,
            () -> registry.createNamespace(ADMIN, "child", Level.L2, "l3", "alice"),
            "level-3 namespace 'l3' may not create child namespaces");
        assertTrue(refused.getMessage().startsWith("EPERM: level-3 namespace 'l3' may not create child namespaces"),
            refused.getMessage());
        assertEquals(1, refused.errno());
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.createNamespace(ALICE, "child", Level.L3, "l3", "alice"),
            "level-3 namespace 'l3'");
        assertFalse(Level.L3.mayCreateChildren());
        assertTrue(Level.L2.mayCreateChildren());
    }

    @Test
    void badNamespaceNamesAreRefusedSayingWhatIsWrong() {
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "", Level.L2), "namespace name is empty", "1..15");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, null, Level.L2), "namespace name is empty");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "abcdefghijklmnop", Level.L2),
            "'abcdefghijklmnop' is 16 characters long, at most 15");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "red blue", Level.L2),
            "has the character ' ' at position 3");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "a/b", Level.L2), "character '/'");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "a:b", Level.L2), "character ':'");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "rød", Level.L2), "character 'ø'");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "a\nb", Level.L2), "character '\\u000a'");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, ".", Level.L2), "'.' is reserved");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "..", Level.L2), "'..' is reserved");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "red", null), "needs a level");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(ADMIN, "red", Level.L2, "root", "two words"),
            "owner principal", "space");
        assertRefused(Kind.INVALID, () -> registry.createNamespace(null, "red", Level.L2), "no caller");

        registry.createNamespace(ADMIN, "abcdefghijklmno", Level.L2);
        registry.createNamespace(ADMIN, "A_b.c-9", Level.L2);
        registry.createNamespace(ADMIN, "...", Level.L2);
        assertEquals(4, registry.namespaceCount());
    }

    @Test
    void namespaceNamesAreUniqueAndUnknownOnesAreNotFound() {
        registry.createNamespace(ADMIN, "red", Level.L2);

        assertRefused(Kind.EXISTS, () -> registry.createNamespace(ADMIN, "red", Level.L3), "EEXIST", "namespace 'red' already exists");
        assertRefused(Kind.EXISTS, () -> registry.createNamespace(ADMIN, "root", Level.L2), "namespace 'root' already exists");
        final NamespaceException missing = assertRefused(Kind.NOT_FOUND,
            () -> registry.createNamespace(ADMIN, "kid", Level.L2, "blue", "admin"), "parent namespace 'blue' does not exist");
        assertEquals("ENOENT", missing.errnoName());
        assertEquals(2, missing.errno());
        assertRefused(Kind.NOT_FOUND, () -> registry.namespace("blue"), "namespace 'blue' does not exist");
        assertRefused(Kind.NOT_FOUND, () -> registry.deleteNamespace(ADMIN, "blue"), "namespace 'blue' does not exist");
        assertRefused(Kind.NOT_FOUND, () -> registry.ports("blue"), "'blue'");
        assertTrue(registry.findNamespace("blue").isEmpty());
        assertEquals("red", registry.findNamespace("red").orElseThrow().name());
    }

    @Test
    void rootCanNeverBeDeleted() {
        assertRefused(Kind.INVALID, () -> registry.deleteNamespace(ADMIN, "root"), "the root namespace can never be deleted");
        assertRefused(Kind.INVALID, () -> registry.deleteNamespace(Caller.user("root"), "root"), "never");
    }

    @Test
    void deletingNeedsPrivilegeOrOwningTheNamespaceOrItsParent() {
        registry.createNamespace(ADMIN, "red", Level.L2, "root", "alice");
        registry.createNamespace(ALICE, "kid1", Level.L2, "red", "alice");
        registry.createNamespace(ADMIN, "kid2", Level.L2, "red", "bob");
        registry.createNamespace(ADMIN, "kid3", Level.L2, "red", "bob");

        assertRefused(Kind.PERMISSION_DENIED, () -> registry.deleteNamespace(BOB, "kid1"),
            "user 'bob' may not delete namespace 'kid1'", "owned by 'alice'");
        registry.deleteNamespace(ALICE, "kid1");  // owner
        registry.deleteNamespace(ALICE, "kid2");  // owner of the parent
        registry.deleteNamespace(BOB, "kid3");    // owner
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.deleteNamespace(BOB, "red"), "may not delete namespace 'red'");
        registry.deleteNamespace(ADMIN, "red");
        assertEquals(List.of("root"), registry.namespaces().stream().map(NamespaceInfo::name).toList());
        assertEquals(List.of(), registry.namespace("root").children());
    }

    @Test
    void aNamespaceWithChildrenIsBusy() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        registry.createNamespace(ADMIN, "kid-a", Level.L2, "red", "admin");
        registry.createNamespace(ADMIN, "kid-b", Level.L3, "red", "admin");

        final NamespaceException busy = assertRefused(Kind.BUSY, () -> registry.deleteNamespace(ADMIN, "red"),
            "EBUSY", "namespace 'red' still has child namespaces [kid-a, kid-b]", "delete them first");
        assertEquals(16, busy.errno());

        registry.deleteNamespace(ADMIN, "kid-a");
        registry.deleteNamespace(ADMIN, "kid-b");
        registry.deleteNamespace(ADMIN, "red");
        assertEquals(1, registry.namespaceCount());
    }

    @Test
    void deletingAnEmptyNamespaceAnnouncesOnlyItsEnd() {
        final int id = registry.createNamespace(ADMIN, "red", Level.L2).id();
        registry.setLoopbackUp(ADMIN, "red", true);
        final int mark = plane.calls.size();

        assertEquals(List.of(), registry.deleteNamespace(ADMIN, "red"));

        assertEquals(List.of("namespaceDeleted " + id), plane.callsSince(mark));
        assertTrue(registry.namespaceById(id).isEmpty());
    }

    @Test
    void idsAreNotReusedRightAwayButComeBackAfterTheAllocatorWrapsAround() {
        assertEquals(1, registry.createNamespace(ADMIN, "a", Level.L2).id());
        registry.deleteNamespace(ADMIN, "a");
        assertEquals(2, registry.createNamespace(ADMIN, "b", Level.L2).id(), "a freed id is not handed out at once");
        assertEquals(3, registry.createNamespace(ADMIN, "c", Level.L2).id());
        registry.deleteNamespace(ADMIN, "b");
        // A refused creation allocates nothing.
        assertRefused(Kind.EXISTS, () -> registry.createNamespace(ADMIN, "c", Level.L2), "already exists");
        assertEquals(4, registry.createNamespace(ADMIN, "d", Level.L2).id());
        assertEquals("d", registry.namespaceById(4).orElseThrow().name());
        assertTrue(registry.namespaceById(2).isEmpty());
        assertTrue(registry.namespaceById(-1).isEmpty());
        assertTrue(registry.namespaceById(65536).isEmpty());
    }

    @Test
    void allIdsInUseIsALimitAndFreedIdsAreReusedAfterTheWrap() {
        // ids 1..65535 all taken (ids are allocated in order from an empty registry).
        for (int id = NamespaceRegistry.FIRST_NAMESPACE_ID; id <= NamespaceRegistry.LAST_NAMESPACE_ID; id++) {
            assertEquals(id, registry.createNamespace(ADMIN, "n" + id, Level.L3).id());
        }
        assertEquals(65536, registry.namespaceCount());

        final NamespaceException full = assertRefused(Kind.LIMIT, () -> registry.createNamespace(ADMIN, "one-more", Level.L2),
            "ENOSPC", "all 65535 namespace ids are in use", "delete a namespace");
        assertEquals(28, full.errno());

        registry.deleteNamespace(ADMIN, "n7");
        registry.deleteNamespace(ADMIN, "n3");
        assertEquals(3, registry.createNamespace(ADMIN, "x", Level.L2).id(), "after the wrap, the lowest free id comes first");
        assertEquals(7, registry.createNamespace(ADMIN, "y", Level.L2).id());
        registry.deleteNamespace(ADMIN, "n5");
        registry.deleteNamespace(ADMIN, "n65535");
        assertEquals(65535, registry.createNamespace(ADMIN, "z", Level.L2).id(), "the search goes on from the last id handed out");
        assertEquals(5, registry.createNamespace(ADMIN, "w", Level.L2).id());
    }
}
