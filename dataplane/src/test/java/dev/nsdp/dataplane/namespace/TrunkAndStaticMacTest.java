package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.NamespaceException.Kind;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrunkAndStaticMacTest extends RegistryTestSupport {
    private static final long MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    private static final long MAC_B = MacAddress.parse("02:00:00:00:00:0b");

    @Test
    void aTaggedVlanOnATrunkMapsToOneNamespace() {
        final int red = registry.createNamespace(ADMIN, "red", Level.L2).id();
        final int blue = registry.createNamespace(ADMIN, "blue", Level.L3).id();
        final int trunk = addPort("root", "trunk0").portIndex();
        final int mark = plane.calls.size();

        assertEquals(new VlanMappingInfo("root", "trunk0", 1, "red"), registry.mapVlan(ADMIN, "root", "trunk0", 1, "red"));
        registry.mapVlan(ADMIN, "root", "trunk0", 4094, "blue");

        assertEquals(List.of("vlanMapped " + trunk + " 1 " + red, "vlanMapped " + trunk + " 4094 " + blue), plane.callsSince(mark));
        assertEquals(List.of(
            new VlanMappingInfo("root", "trunk0", 1, "red"),
            new VlanMappingInfo("root", "trunk0", 4094, "blue")), registry.vlanMappings("root"));
        assertRefused(Kind.EXISTS, () -> registry.mapVlan(ADMIN, "root", "trunk0", 1, "blue"),
            "VLAN 1 on 'trunk0' in 'root' already maps to namespace 'red'", "unmap it first");
        assertRefused(Kind.EXISTS, () -> registry.mapVlan(ADMIN, "root", "trunk0", 1, "red"), "already maps");

        registry.unmapVlan(ADMIN, "root", "trunk0", 1);
        assertEquals("vlanMapped " + trunk + " 1 -1", plane.calls.getLast());
        registry.mapVlan(ADMIN, "root", "trunk0", 1, "blue");
        assertEquals(List.of(
            new VlanMappingInfo("root", "trunk0", 1, "blue"),
            new VlanMappingInfo("root", "trunk0", 4094, "blue")), registry.vlanMappings("root"));
    }

    @Test
    void badVlanRequestsAreRefused() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        addPort("root", "trunk0");

        for (final int vlan : new int[] {0, 4095, -1, 65536}) {
            assertRefused(Kind.INVALID, () -> registry.mapVlan(ADMIN, "root", "trunk0", vlan, "red"),
                "EINVAL", "VLAN id " + vlan + " is out of range; use 1..4094");
            assertRefused(Kind.INVALID, () -> registry.unmapVlan(ADMIN, "root", "trunk0", vlan), "out of range");
        }
        assertRefused(Kind.NOT_FOUND, () -> registry.mapVlan(ADMIN, "root", "trunk1", 5, "red"), "ENODEV", "no device 'trunk1'");
        assertRefused(Kind.NOT_FOUND, () -> registry.mapVlan(ADMIN, "root", "trunk0", 5, "blue"), "target namespace 'blue' does not exist");
        assertRefused(Kind.INVALID, () -> registry.mapVlan(ADMIN, "root", "lo", 5, "red"), "the loopback 'lo' carries no VLANs");
        assertRefused(Kind.NOT_FOUND, () -> registry.unmapVlan(ADMIN, "root", "trunk0", 5),
            "VLAN 5 on 'trunk0' in 'root' is not mapped to any namespace");
        // The trunk port is looked up in the namespace named, not anywhere.
        assertRefused(Kind.NOT_FOUND, () -> registry.mapVlan(ADMIN, "red", "trunk0", 5, "red"), "namespace 'red' has no device 'trunk0'");
    }

    @Test
    void mappingNeedsTheOwnerOfBothSidesAndUnmappingEitherSide() {
        registry.createNamespace(ADMIN, "red", Level.L2, "root", "alice");
        registry.createNamespace(ADMIN, "red2", Level.L2, "root", "alice");
        registry.createNamespace(ADMIN, "blue", Level.L2, "root", "bob");
        addPort("red", "trunk0");

        assertRefused(Kind.PERMISSION_DENIED, () -> registry.mapVlan(ALICE, "red", "trunk0", 7, "blue"),
            "user 'alice' may not map VLANs of ports in 'red'", "to 'blue' (owned by 'bob')");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.mapVlan(BOB, "red", "trunk0", 7, "blue"), "may not map VLANs");
        registry.mapVlan(ALICE, "red", "trunk0", 7, "red2");
        registry.mapVlan(ADMIN, "red", "trunk0", 8, "blue");

        // bob owns neither red nor red2: refused, and told nothing about what exists.
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.unmapVlan(BOB, "red", "trunk0", 7), "may not unmap VLANs of ports in 'red'");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.unmapVlan(BOB, "red", "no-such", 7), "may not unmap");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.unmapVlan(BOB, "red", "trunk0", 9), "may not unmap");
        registry.unmapVlan(BOB, "red", "trunk0", 8);   // bob owns the target, blue
        registry.unmapVlan(ALICE, "red", "trunk0", 7); // alice owns the port's namespace
        assertEquals(List.of(), registry.vlanMappings("red"));
    }

    @Test
    void aStaticMacPointsAtAPortOfTheSameLevel2Namespace() {
        final int red = registry.createNamespace(ADMIN, "red", Level.L2).id();
        final int eth0 = addPort("red", "eth0").portIndex();
        final int mark = plane.calls.size();

        assertEquals(new StaticMacInfo("red", MAC_A, "eth0"), registry.addStaticMac(ADMIN, "red", MAC_A, "eth0"));

        assertEquals(List.of("staticMacAdded " + red + " 02:00:00:00:00:0a " + eth0), plane.callsSince(mark));
        assertEquals(List.of(new StaticMacInfo("red", MAC_A, "eth0")), registry.staticMacs("red"));
        assertRefused(Kind.EXISTS, () -> registry.addStaticMac(ADMIN, "red", MAC_A, "eth0"),
            "MAC 02:00:00:00:00:0a is already a static entry on 'eth0' in namespace 'red'", "remove it first");

        registry.removeStaticMac(ADMIN, "red", MAC_A);
        assertEquals("staticMacRemoved " + red + " 02:00:00:00:00:0a", plane.calls.getLast());
        assertEquals(List.of(), registry.staticMacs("red"));
    }

    @Test
    void badStaticMacsAreRefused() {
        registry.createNamespace(ADMIN, "red", Level.L2);
        registry.createNamespace(ADMIN, "blue", Level.L2);
        registry.createNamespace(ADMIN, "l3", Level.L3);
        addPort("red", "eth0");
        addPort("blue", "eth1");
        addPort("l3", "eth2");

        assertRefused(Kind.NOT_FOUND, () -> registry.addStaticMac(ADMIN, "red", MAC_A, "eth1"),
            "ENODEV", "namespace 'red' has no device 'eth1'");
        assertRefused(Kind.INVALID, () -> registry.addStaticMac(ADMIN, "l3", MAC_A, "eth2"),
            "namespace 'l3' is level 3 and has no MAC table", "need a level-2 namespace");
        assertRefused(Kind.INVALID, () -> registry.removeStaticMac(ADMIN, "l3", MAC_A), "has no MAC table");
        assertRefused(Kind.INVALID, () -> registry.addStaticMac(ADMIN, "red", MacAddress.BROADCAST, "eth0"),
            "ff:ff:ff:ff:ff:ff is a group (multicast or broadcast) address");
        assertRefused(Kind.INVALID, () -> registry.addStaticMac(ADMIN, "red", MacAddress.parse("01:00:5e:00:00:01"), "eth0"),
            "01:00:5e:00:00:01 is a group");
        assertRefused(Kind.INVALID, () -> registry.addStaticMac(ADMIN, "red", 0L, "eth0"), "00:00:00:00:00:00 cannot be a static entry");
        assertRefused(Kind.INVALID, () -> registry.addStaticMac(ADMIN, "red", 1L << 48, "eth0"), "must fit in 48 bits");
        assertRefused(Kind.INVALID, () -> registry.addStaticMac(ADMIN, "red", MAC_A, "lo"), "cannot point at the loopback");
        assertRefused(Kind.NOT_FOUND, () -> registry.removeStaticMac(ADMIN, "red", MAC_A),
            "namespace 'red' has no static entry for 02:00:00:00:00:0a");
        assertRefused(Kind.NOT_FOUND, () -> registry.removeStaticMac(ADMIN, "red", -1L), "no static entry for 0xffffffffffffffff");
        assertRefused(Kind.PERMISSION_DENIED, () -> registry.addStaticMac(ALICE, "red", MAC_A, "eth0"),
            "user 'alice' may not add static MACs to namespace 'red' (owned by 'admin')");
    }

    @Test
    void namespacesWithTheSamePortNamesAndTheSameMacsAreIndependent() {
        final int red = registry.createNamespace(ADMIN, "red", Level.L2).id();
        final int blue = registry.createNamespace(ADMIN, "blue", Level.L2).id();
        final int redEth0 = addPort("red", "eth0").portIndex();
        final int blueEth0 = addPort("blue", "eth0").portIndex();
        final int mark = plane.calls.size();

        registry.addStaticMac(ADMIN, "red", MAC_A, "eth0");
        registry.addStaticMac(ADMIN, "blue", MAC_A, "eth0");
        registry.addStaticMac(ADMIN, "blue", MAC_B, "eth0");

        assertEquals(List.of(
            "staticMacAdded " + red + " 02:00:00:00:00:0a " + redEth0,
            "staticMacAdded " + blue + " 02:00:00:00:00:0a " + blueEth0,
            "staticMacAdded " + blue + " 02:00:00:00:00:0b " + blueEth0), plane.callsSince(mark));

        registry.removeStaticMac(ADMIN, "red", MAC_A);
        assertEquals(List.of(), registry.staticMacs("red"));
        assertEquals(List.of(new StaticMacInfo("blue", MAC_A, "eth0"), new StaticMacInfo("blue", MAC_B, "eth0")),
            registry.staticMacs("blue"));

        registry.addStaticMac(ADMIN, "red", MAC_A, "eth0");
        registry.removePort(ADMIN, "red", "eth0");
        assertEquals(List.of(), registry.staticMacs("red"));
        assertEquals(2, registry.staticMacs("blue").size());
        assertEquals(blueEth0, registry.port("blue", "eth0").portIndex());

        registry.deleteNamespace(ADMIN, "red");
        assertEquals(2, registry.staticMacs("blue").size());
    }
}
