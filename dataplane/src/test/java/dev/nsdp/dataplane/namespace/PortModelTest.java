package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.NamespaceException.Kind;
import dev.nsdp.dataplane.port.Port;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortModelTest extends RegistryTestSupport {

    @Test
    void aPortIsAttachedDownWithTheLowestFreeIndexWhichIsReusedAfterRemoval() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        final Port eth0 = newPort("p-eth0");
        final int mark = plane.calls.size();

        final PortInfo info = registry.addPort(ADMIN, "red", "eth0", eth0);

        assertEquals(new PortInfo("eth0", "red", 1, 0, false, false), info);
        assertEquals(List.of("portAttached 0 p-eth0 1 down"), plane.callsSince(mark));
        assertEquals(List.of(info), registry.ports("red"));
        assertEquals(List.of(new PortInfo("lo", "red", 1, -1, false, true), info), registry.devices("red"));
        assertEquals(List.of("eth0"), registry.namespace("red").ports());
        assertEquals(info, registry.portByIndex(0).orElseThrow());
        assertEquals(1, addPort("red", "eth1").portIndex());
        assertEquals(2, addPort("root", "eth1").portIndex());

        assertSame(eth0, registry.removePort(ADMIN, "red", "eth0"));

        assertTrue(registry.portByIndex(0).isEmpty());
        assertEquals(0, addPort("root", "eth9").portIndex(), "the lowest free index is reused");
        assertEquals(3, addPort("root", "eth10").portIndex());
        assertEquals(4, registry.portCount());
    }

    @Test
    void aPortComesUpAndGoesDownOnlyWhenItsStateChanges() {
        final int index = addPort("root", "eth0").portIndex();
        final int mark = plane.calls.size();

        assertTrue(registry.setPortUp(ADMIN, "root", "eth0", true).adminUp());
        registry.setPortUp(ADMIN, "root", "eth0", true);
        registry.setPortUp(ADMIN, "root", "eth0", false);

        assertEquals(List.of("portAdminState " + index + " up", "portAdminState " + index + " down"), plane.callsSince(mark));
        assertFalse(registry.port("root", "eth0").adminUp());
    }

    @Test
    void portNamesAreUniquePerNamespaceOnly() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        registry.createNamespace(ADMIN, "blue", Level.L2);
        final PortInfo redEth0 = addPort("red", "eth0");
        final PortInfo blueEth0 = addPort("blue", "eth0");

        assertEquals(redEth0, registry.port("red", "eth0"));
        assertEquals(blueEth0, registry.port("blue", "eth0"));
        assertTrue(redEth0.portIndex() != blueEth0.portIndex());
        assertRefused(Kind.EXISTS, () -> registry.addPort(ADMIN, "red", "eth0", newPort("x")),
            "namespace 'red' already has a device 'eth0'", "choose another name");
        assertRefused(Kind.EXISTS, () -> registry.addPort(ADMIN, "red", "lo", newPort("x")),
            "already has a device 'lo' (its own loopback)");

        registry.setPortUp(ADMIN, "red", "eth0", true);
        assertTrue(registry.port("red", "eth0").adminUp());
        assertFalse(registry.port("blue", "eth0").adminUp(), "blue's eth0 is another device");
        registry.removePort(ADMIN, "blue", "eth0");
        assertEquals(redEth0.portIndex(), registry.port("red", "eth0").portIndex());
    }

    @Test
    void badOrUnknownPortsAreRefused() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        final Port attached = newPort("p");
        registry.addPort(ADMIN, "red", "eth0", attached);

        assertRefused(Kind.INVALID, () -> registry.addPort(ADMIN, "red", "", newPort("x")), "device name is empty");
        assertRefused(Kind.INVALID, () -> registry.addPort(ADMIN, "red", "a-very-long-name", newPort("x")),
            "16 characters long, at most 15");
        assertRefused(Kind.INVALID, () -> registry.addPort(ADMIN, "red", "eth0@if2", newPort("x")), "character '@'");
        assertRefused(Kind.INVALID, () -> registry.addPort(ADMIN, "red", "eth1", null), "no port given");
        assertRefused(Kind.EXISTS, () -> registry.addPort(ADMIN, "root", "eth1", attached),
            "this port is already attached as port 'eth0'", "in namespace 'red'");
        assertRefused(Kind.NOT_FOUND, () -> registry.addPort(ADMIN, "blue", "eth1", newPort("x")), "namespace 'blue' does not exist");
        final NamespaceException noDevice = assertRefused(Kind.NOT_FOUND, () -> registry.removePort(ADMIN, "red", "eth1"),
            "ENODEV: namespace 'red' has no device 'eth1'");
        assertEquals("ENODEV", noDevice.errnoName());
        assertEquals(19, noDevice.errno());
        assertRefused(Kind.NOT_FOUND, () -> registry.setPortUp(ADMIN, "red", "eth1", true), "no device 'eth1'");
        assertRefused(Kind.NOT_FOUND, () -> registry.setPortUp(ADMIN, "red", null, true), "no device ''");
        assertRefused(Kind.NOT_FOUND, () -> registry.port("root", "eth0"), "namespace 'root' has no device 'eth0'");
    }

    @Test
    void theLoopbackCanNeverBeMovedOrRemoved() {
        registry.createNamespace(ADMIN, "red", Level.L2);

        assertRefused(Kind.INVALID, () -> registry.movePort(ADMIN, "lo", "red", "root"),
            "EINVAL", "the loopback 'lo' of namespace 'red' can never be moved");
        assertRefused(Kind.INVALID, () -> registry.movePort(ADMIN, "lo", "root", "red", "lo2"), "can never be moved");
        assertRefused(Kind.INVALID, () -> registry.removePort(ADMIN, "red", "lo"), "the loopback 'lo' of namespace 'red' can never be removed");
        assertRefused(Kind.INVALID, () -> registry.removePort(ADMIN, "root", "lo"), "can never be removed");
    }

    @Test
    void movingAPortHidesItInTheSourceAndShowsItInTheDestination() {
        final int red = registry.createNamespace(ADMIN, "red", Level.L2).id();
        final PortInfo before = addPort("root", "eth0");
        final int mark = plane.calls.size();

        final PortInfo moved = registry.movePort(ADMIN, "eth0", "root", "red");

        assertEquals(new PortInfo("eth0", "red", red, before.portIndex(), false, false), moved);
        assertEquals(List.of("portMoved " + before.portIndex() + " " + red), plane.callsSince(mark));
        assertEquals(List.of(), registry.ports("root"));
        assertRefused(Kind.NOT_FOUND, () -> registry.port("root", "eth0"), "namespace 'root' has no device 'eth0'");
        assertRefused(Kind.NOT_FOUND, () -> registry.setPortUp(ADMIN, "root", "eth0", true), "no device 'eth0'");
        assertEquals(moved, registry.port("red", "eth0"));
        assertEquals(List.of("eth0"), registry.namespace("red").ports());
        assertEquals(moved, registry.portByIndex(before.portIndex()).orElseThrow());
    }

    @Test
    void aMovedPortArrivesDownAndLeavesItsStaticMacsAndVlanMappingsBehind() {
        final int red = registry.createNamespace(ADMIN, "red", Level.L2).id();
        registry.createNamespace(ADMIN, "blue", Level.L2);
        final int index = addPort("root", "trunk0").portIndex();
        final int other = addPort("root", "eth1").portIndex();
        registry.setPortUp(ADMIN, "root", "trunk0", true);
        registry.mapVlan(ADMIN, "root", "trunk0", 100, "blue");
        registry.mapVlan(ADMIN, "root", "trunk0", 200, "root");
        final long mac = MacAddress.parse("02:00:00:00:00:01");
        final long otherMac = MacAddress.parse("02:00:00:00:00:02");
        registry.addStaticMac(ADMIN, "root", mac, "trunk0");
        registry.addStaticMac(ADMIN, "root", otherMac, "eth1");
        final int mark = plane.calls.size();

        final PortInfo moved = registry.movePort(ADMIN, "trunk0", "root", "red", "uplink");

        assertEquals(new PortInfo("uplink", "red", red, index, false, false), moved);
        assertEquals(List.of(
            "staticMacRemoved 0 02:00:00:00:00:01",
            "vlanMapped " + index + " 100 -1",
            "vlanMapped " + index + " 200 -1",
            "portAdminState " + index + " down",
            "portMoved " + index + " " + red), plane.callsSince(mark));
        assertEquals(List.of(new StaticMacInfo("root", otherMac, "eth1")), registry.staticMacs("root"));
        assertEquals(List.of(), registry.vlanMappings("red"));
        assertEquals(List.of(), registry.vlanMappings("root"));
        assertEquals(other, registry.port("root", "eth1").portIndex());
    }

    @Test
    void aMoveIntoANamespaceThatHasTheNameAlreadyIsRefused() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        addPort("root", "eth0");
        addPort("red", "eth0");

        assertRefused(Kind.EXISTS, () -> registry.movePort(ADMIN, "eth0", "root", "red"),
            "EEXIST", "namespace 'red' already has a device 'eth0'");
        assertRefused(Kind.EXISTS, () -> registry.movePort(ADMIN, "eth0", "root", "red", "lo"), "'lo' (its own loopback)");
        assertRefused(Kind.INVALID, () -> registry.movePort(ADMIN, "eth0", "root", "red", "bad name"), "new device name");

        registry.movePort(ADMIN, "eth0", "root", "red", "eth1");
        assertEquals(List.of("eth0", "eth1"), registry.namespace("red").ports());
    }

    @Test
    void movingAPortWhereItAlreadyIsChangesNothing() {
        addPort("root", "eth0");
        registry.setPortUp(ADMIN, "root", "eth0", true);
        final List<Object> before = snapshot();
        final int mark = plane.calls.size();

        assertTrue(registry.movePort(ADMIN, "eth0", "root", "root").adminUp());

        assertEquals(before, snapshot());
        assertEquals(List.of(), plane.callsSince(mark));
        assertRefused(Kind.INVALID, () -> registry.movePort(ADMIN, "eth0", "root", "root", "eth9"), "cannot rename");
    }

    @Test
    void onlyTheOwnerOfBothNamespacesOrAnAdministratorMayMoveAPort() {
        registry.createNamespace(ADMIN, "red", Level.L2, "root", "alice");
        registry.createNamespace(ADMIN, "red2", Level.L2, "root", "alice");
        registry.createNamespace(ADMIN, "blue", Level.L2, "root", "bob");
        addPort("red", "eth0");
        addPort("red", "eth1");

        assertRefused(Kind.PERMISSION_DENIED, () -> registry.movePort(ALICE, "eth0", "red", "blue"),
            "EPERM", "user 'alice' may not move devices from 'red'", "to 'blue' (owned by 'bob')", "only the owner of both");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.movePort(BOB, "eth0", "red", "blue"),
            "user 'bob' may not move devices from 'red' (owned by 'alice')");
        // A caller that owns neither side cannot even learn whether a device exists there.
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.movePort(BOB, "no-such", "red", "blue"), "may not move");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.movePort(BOB, "eth0", "red", "red2"), "may not move");

        assertEquals("red2", registry.movePort(ALICE, "eth0", "red", "red2").namespace());
        assertEquals("blue", registry.movePort(ADMIN, "eth1", "red", "blue").namespace());
        assertEquals(List.of(), registry.ports("red"));
    }

    @Test
    void configuringPortsNeedsOwnershipOrPrivilege() {
        registry.createNamespace(ADMIN, "red", Level.L2, "root", "alice");
        addPort("red", "eth0");

        assertRefused(Kind.PERMISSION_DENIED, () -> registry.addPort(BOB, "red", "eth1", newPort("x")),
            "user 'bob' may not add ports to namespace 'red' (owned by 'alice')");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.removePort(BOB, "red", "eth0"), "may not remove ports from");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.setPortUp(BOB, "red", "eth0", true), "may not set devices up or down");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.setPortUp(BOB, "red", "lo", true), "may not set the loopback of");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.setLoopbackUp(BOB, "red", true), "may not set the loopback of");

        registry.addPort(ALICE, "red", "eth1", newPort("eth1"));
        registry.setPortUp(ALICE, "red", "eth1", true);
        registry.setLoopbackUp(ALICE, "red", true);
        registry.removePort(ALICE, "red", "eth0");
        assertEquals(List.of("eth1"), registry.namespace("red").ports());
    }

    @Test
    void removingAPortDropsItsStaticMacsAndVlanMappingsBeforeDetaching() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        final int index = addPort("root", "trunk0").portIndex();
        registry.mapVlan(ADMIN, "root", "trunk0", 10, "red");
        registry.addStaticMac(ADMIN, "root", 0x0200_0000_0001L, "trunk0");
        final int mark = plane.calls.size();

        registry.removePort(ADMIN, "root", "trunk0");

        assertEquals(List.of(
            "staticMacRemoved 0 02:00:00:00:00:01",
            "vlanMapped " + index + " 10 -1",
            "portDetached " + index), plane.callsSince(mark));
        assertEquals(0, registry.portCount());
    }

    @Test
    void deletingANamespaceReturnsItsPortsToRootDownAndUndoesEverythingInIt() {
        final int red = registry.createNamespace(ADMIN, "red", Level.L2).id();
        final int trunk = addPort("root", "trunk0").portIndex();
        final int eth0 = addPort("red", "eth0").portIndex();
        final int eth1 = addPort("red", "eth1").portIndex();
        registry.setPortUp(ADMIN, "red", "eth0", true);
        registry.setLoopbackUp(ADMIN, "red", true);
        registry.mapVlan(ADMIN, "root", "trunk0", 100, "red");
        registry.mapVlan(ADMIN, "root", "trunk0", 200, "root");
        registry.mapVlan(ADMIN, "red", "eth1", 300, "root");
        registry.addStaticMac(ADMIN, "red", 0x0200_0000_00AAL, "eth1");
        final int mark = plane.calls.size();

        final List<PortInfo> returned = registry.deleteNamespace(ADMIN, "red");

        assertEquals(List.of(
            "vlanMapped " + trunk + " 100 -1",
            "staticMacRemoved " + red + " 02:00:00:00:00:aa",
            "portAdminState " + eth0 + " down",
            "portMoved " + eth0 + " 0",
            "vlanMapped " + eth1 + " 300 -1",
            "portMoved " + eth1 + " 0",
            "namespaceDeleted " + red), plane.callsSince(mark));
        final List<PortInfo> expected = List.of(
            new PortInfo("eth0", "root", 0, eth0, false, false),
            new PortInfo("eth1", "root", 0, eth1, false, false));
        assertEquals(expected, returned);
        assertEquals(List.of("trunk0", "eth0", "eth1"), registry.namespace("root").ports());
        assertEquals(List.of(new VlanMappingInfo("root", "trunk0", 200, "root")), registry.vlanMappings("root"));
        assertTrue(registry.findNamespace("red").isEmpty());
        assertRefused(Kind.NOT_FOUND, () -> registry.devices("red"), "namespace 'red' does not exist");
        // A namespace created afterwards with the same name starts empty again.
        registry.createNamespace(ADMIN, "red", Level.L2);
        assertEquals(List.of(new PortInfo("lo", "red", red + 1, -1, false, true)), registry.devices("red"));
    }

    @Test
    void aPortReturningToRootUnderATakenNameIsRenamedAsLinuxDoes() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        registry.createNamespace(ADMIN, "blue", Level.L2);
        addPort("root", "eth0");                           // index 0
        final int redEth0 = addPort("red", "eth0").portIndex();   // index 1
        addPort("root", "dev2");                            // index 2
        final int blueEth0 = addPort("blue", "eth0").portIndex(); // index 3
        addPort("root", "dev3");                            // index 4, takes blue's "dev<index>"
        addPort("root", "dev0");                            // index 5
        assertEquals(1, redEth0);
        assertEquals(3, blueEth0);

        assertEquals(List.of(new PortInfo("dev1", "root", 0, 1, false, false)), registry.deleteNamespace(ADMIN, "red"));
        // "eth0" and "dev3" are taken in root, and so are dev0..dev3: the lowest free "dev<N>" is dev4.
        assertEquals(List.of(new PortInfo("dev4", "root", 0, 3, false, false)), registry.deleteNamespace(ADMIN, "blue"));
        assertEquals(List.of("eth0", "dev2", "dev3", "dev0", "dev1", "dev4"), registry.namespace("root").ports());
    }

    @Test
    void portIndicesRunOutAtMaxPorts() {
        for (int i = 0; i < ForwardingPlane.MAX_PORTS; i++) {
            assertEquals(i, addPort("root", "p" + i).portIndex());
        }

        assertRefused(Kind.LIMIT, () -> registry.addPort(ADMIN, "root", "one-more", newPort("x")),
            "ENOSPC", "all 4096 port indices are in use", "remove a port");

        registry.removePort(ADMIN, "root", "p1234");
        assertEquals(1234, addPort("root", "one-more").portIndex());
    }
}
