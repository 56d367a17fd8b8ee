package dev.nsdp.control.kernel;

import static dev.nsdp.control.testing.KernelLab.ip;
import static dev.nsdp.control.testing.KernelLab.ipJson;
import static dev.nsdp.control.testing.KernelLab.ipLink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.testing.KernelLab;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every rtnetlink operation checked against iproute2: what nsdp makes, {@code ip -j} sees, and what
 * {@code ip} makes, nsdp's dumps see. Objects live in a namespace the test creates (or carry the
 * run's unique prefix in the root namespace) and are removed after each test.
 */
class RtNetlinkTest {
    private KernelLab lab;
    private String ns;
    private RtNetlink root;
    private RtNetlink inside;

    @BeforeEach
    void setUp() {
        lab = new KernelLab();
        ns = lab.name("ns");
        ip("netns", "add", ns);
        root = RtNetlink.open();
        inside = RtNetlink.openNamed(ns);
    }

    @AfterEach
    void tearDown() {
        try {
            if (inside != null) {
                inside.close();
            }
            if (root != null) {
                root.close();
            }
        } finally {
            lab.close();
        }
    }

    @Test
    void vethPairMadeByNsdpWithPeerInAnotherNamespaceIsWhatIpSees() {
        final String v = lab.name("v0");
        root.addLink(NewLink.veth(v, "eth0").peerNamespace(KernelNamespace.named(ns)));

        final Map<String, Object> end = ipLink(null, v);
        assertNotNull(end, "ip sees the root end");
        assertEquals("veth", linkKind(end));
        final Map<String, Object> peer = ipLink(ns, "eth0");
        assertNotNull(peer, "ip -n sees the peer inside the namespace");
        assertEquals("veth", linkKind(peer));
        // Each end points at the other across the namespaces.
        assertEquals(((Number) peer.get("ifindex")).intValue(), ((Number) end.get("link_index")).intValue());
        assertEquals(((Number) end.get("ifindex")).intValue(), ((Number) peer.get("link_index")).intValue());
        assertNotNull(end.get("link_netnsid"), "ip says the peer is in another namespace");
    }

    @Test
    void vethPairMadeByIpIsWhatNsdpSees() {
        final String a = lab.name("a");
        final String b = lab.name("b");
        ip("link", "add", a, "type", "veth", "peer", "name", b);

        final Link la = root.link(a);
        final Link lb = root.link(b);
        assertEquals("veth", la.kind());
        assertEquals(lb.index(), la.parentIndex());
        assertEquals(la.index(), lb.parentIndex());
        final Map<String, Object> ipA = ipLink(null, a);
        assertEquals(((Number) ipA.get("ifindex")).intValue(), la.index());
        assertEquals(ipA.get("address"), la.address());
        assertEquals(((Number) ipA.get("mtu")).intValue(), la.mtu());
        assertEquals(ipA.get("operstate"), la.operStateName());
        // ip adds M-DOWN (the peer is down) from its own lookup of the peer; the rest is the link's.
        final List<Object> ipFlags = new ArrayList<>((List<?>) ipA.get("flags"));
        ipFlags.remove("M-DOWN");
        assertEquals(ipFlags, new ArrayList<Object>(la.flagNames()));
    }

    @Test
    void deletingOneEndDeletesThePairInBothNamespaces() {
        final String v = lab.name("v0");
        root.addLink(NewLink.veth(v, "eth0").peerNamespace(KernelNamespace.named(ns)));
        root.deleteLink(v);
        assertNull(ipLink(null, v));
        assertNull(ipLink(ns, "eth0"));
        assertTrue(inside.findLink("eth0").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = MacvlanMode.class, names = {"BRIDGE", "PRIVATE", "VEPA", "PASSTHRU"})
    void macvlanOnAVethParentInEachModeIsWhatIpSees(final MacvlanMode mode) {
        final String parent = lab.name("p");
        final String mv = lab.name("m");
        root.addLink(NewLink.veth(parent, lab.name("q")));
        root.addLink(NewLink.macvlan(mv, parent, mode));

        final Map<String, Object> link = ipLink(null, mv);
        assertNotNull(link);
        assertEquals("macvlan", linkKind(link));
        assertEquals(mode.text(), infoData(link).get("mode"));
        assertEquals(parent, link.get("link"));
        assertEquals(mode, root.link(mv).macvlanMode());
    }

    @Test
    void passthruOnAParentThatHasMacvlansIsRefusedWithAHint() {
        final String parent = lab.name("p");
        root.addLink(NewLink.veth(parent, lab.name("q")));
        root.addLink(NewLink.macvlan(lab.name("m"), parent, MacvlanMode.BRIDGE));
        final KernelException e = assertThrows(KernelException.class,
            () -> root.addLink(NewLink.macvlan(lab.name("n"), parent, MacvlanMode.PASSTHRU)));
        assertTrue(e.getMessage().contains("passthru needs a parent without other macvlans"), e.getMessage());
        assertNull(ipLink(null, lab.name("n")));
    }

    @Test
    void macvlanMadeByIpIsWhatNsdpSees() {
        final String parent = lab.name("p");
        final String mv = lab.name("m");
        ip("link", "add", parent, "type", "veth", "peer", "name", lab.name("q"));
        ip("link", "add", "link", parent, "name", mv, "type", "macvlan", "mode", "private");
        final Link link = root.link(mv);
        assertEquals("macvlan", link.kind());
        assertEquals(MacvlanMode.PRIVATE, link.macvlanMode());
        assertEquals(root.link(parent).index(), link.parentIndex());
    }

    @Test
    void macvlanCreatedDirectlyInAnotherNamespace() {
        final String parent = lab.name("p");
        root.addLink(NewLink.veth(parent, lab.name("q")));
        root.addLink(NewLink.macvlan(lab.name("m"), parent, MacvlanMode.BRIDGE).namespace(KernelNamespace.named(ns)));
        assertNull(ipLink(null, lab.name("m")));
        final Map<String, Object> moved = ipLink(ns, lab.name("m"));
        assertNotNull(moved);
        assertEquals("macvlan", linkKind(moved));
    }

    @Test
    void moveToAnotherNamespaceHidesTheLinkHereAndShowsItThere() {
        final String a = lab.name("a");
        root.addLink(NewLink.veth(a, lab.name("b")));
        root.moveToNamespace(a, KernelNamespace.named(ns));
        assertNull(ipLink(null, a));
        assertNotNull(ipLink(ns, a));
        assertTrue(root.findLink(a).isEmpty());
        assertTrue(inside.findLink(a).isPresent());

        // and back, by ip; nsdp sees it return
        ip("-n", ns, "link", "set", "dev", a, "netns", "1");
        assertTrue(root.findLink(a).isPresent());
        assertTrue(inside.findLink(a).isEmpty());
    }

    @Test
    void upMtuAndAddressSetByNsdpAreWhatIpSees() {
        final String a = lab.name("a");
        root.addLink(NewLink.veth(a, lab.name("b")));
        root.setLink(a, new LinkChange().up().mtu(1400).address("02:00:5e:10:00:01"));
        final Map<String, Object> link = ipLink(null, a);
        assertTrue(((List<?>) link.get("flags")).contains("UP"));
        assertEquals(1400L, link.get("mtu"));
        assertEquals("02:00:5e:10:00:01", link.get("address"));

        root.setDown(a);
        assertFalse(((List<?>) ipLink(null, a).get("flags")).contains("UP"));
    }

    @Test
    void upMtuAndAddressSetByIpAreWhatNsdpSees() {
        final String a = lab.name("a");
        ip("link", "add", a, "type", "veth", "peer", "name", lab.name("b"));
        ip("link", "set", "dev", a, "up", "mtu", "1280", "address", "02:00:5e:10:00:02");
        final Link link = root.link(a);
        assertTrue(link.isUp());
        assertEquals(1280, link.mtu());
        assertEquals("02:00:5e:10:00:02", link.address());
    }

    @Test
    void renameByNsdp() {
        final String a = lab.name("a");
        root.addLink(NewLink.veth(a, lab.name("b")));
        root.setLink(a, new LinkChange().rename(lab.name("c")));
        assertNull(ipLink(null, a));
        assertNotNull(ipLink(null, lab.name("c")));
    }

    @Test
    void addressesBothWaysInBothFamilies() {
        inside.addLink(NewLink.veth("x0", "x1"));
        inside.setUp("x0");
        inside.addAddress("x0", IpPrefix.parse("198.18.7.1/24"));
        inside.addAddress("x0", IpPrefix.parse("2001:db8:7::1/64"));
        ip("-n", ns, "addr", "add", "198.18.8.1/24", "dev", "x1");
        ip("-n", ns, "addr", "add", "2001:db8:8::1/64", "dev", "x1");

        final List<String> ipSees = new ArrayList<>();
        for (final Map<String, Object> link : ipJson("-n", ns, "addr", "show")) {
            for (final Object info : (List<?>) link.get("addr_info")) {
                final Map<?, ?> a = (Map<?, ?>) info;
                ipSees.add(link.get("ifname") + " " + a.get("local") + "/" + a.get("prefixlen"));
            }
        }
        final List<String> nsdpSees = new ArrayList<>();
        final Map<Integer, String> names = new java.util.HashMap<>();
        for (final Link link : inside.links()) {
            names.put(link.index(), link.name());
        }
        for (final Address address : inside.addresses()) {
            nsdpSees.add(names.get(address.linkIndex()) + " " + address.prefix());
        }
        assertEquals(sorted(ipSees), sorted(nsdpSees));
        assertTrue(nsdpSees.contains("x0 198.18.7.1/24"));
        assertTrue(nsdpSees.contains("x1 2001:db8:8::1/64"));

        inside.deleteAddress("x1", IpPrefix.parse("198.18.8.1/24"));
        ip("-n", ns, "addr", "del", "198.18.7.1/24", "dev", "x0");
        assertFalse(ip("-n", ns, "addr", "show").contains("198.18.8.1"));
        assertTrue(inside.addresses(IpPrefix.AF_INET).stream()
            .noneMatch(a -> a.prefix().toString().startsWith("198.18.7.1")));
    }

    @Test
    void routesBothWays() {
        inside.addLink(NewLink.veth("x0", "x1"));
        inside.setLink("x0", new LinkChange().up());
        inside.setUp("x1");
        inside.addAddress("x0", IpPrefix.parse("198.18.9.1/24"));
        inside.addAddress("x0", IpPrefix.parse("2001:db8:9::1/64"));
        inside.addRoute(RouteSpec.via(IpPrefix.parse("198.18.100.0/24"), IpPrefix.parseAddress("198.18.9.2")));
        inside.addRoute(RouteSpec.dev(IpPrefix.parse("198.18.101.0/24"), "x0"));
        inside.addRoute(new RouteSpec(IpPrefix.parse("2001:db8:100::/48"), IpPrefix.parseAddress("2001:db8:9::2"),
            "x0", 77, 0));
        ip("-n", ns, "route", "add", "198.18.102.0/24", "via", "198.18.9.3");

        final List<Map<String, Object>> v4 = ipJson("-n", ns, "route", "show");
        assertEquals("198.18.9.2", find(v4, "198.18.100.0/24").get("gateway"));
        assertEquals("x0", find(v4, "198.18.101.0/24").get("dev"));
        assertEquals("link", find(v4, "198.18.101.0/24").get("scope"));
        final Map<String, Object> v6 = find(ipJson("-n", ns, "-6", "route", "show"), "2001:db8:100::/48");
        assertEquals("2001:db8:9::2", v6.get("gateway"));
        assertEquals(77L, v6.get("metric"));

        final Optional<Route> byIp = inside.routes(IpPrefix.AF_INET).stream()
            .filter(r -> r.destination().toString().equals("198.18.102.0/24")).findFirst();
        assertTrue(byIp.isPresent(), "nsdp sees the route ip added");
        assertEquals("198.18.9.3", IpPrefix.format(byIp.get().gateway()));
        assertEquals(inside.link("x0").index(), byIp.get().outputIndex());

        inside.deleteRoute(RouteSpec.via(IpPrefix.parse("198.18.100.0/24"), IpPrefix.parseAddress("198.18.9.2")));
        ip("-n", ns, "route", "del", "198.18.101.0/24");
        final List<Map<String, Object>> after = ipJson("-n", ns, "route", "show");
        assertNull(findOrNull(after, "198.18.100.0/24"));
        assertTrue(inside.routes(IpPrefix.AF_INET).stream()
            .noneMatch(r -> r.destination().toString().equals("198.18.101.0/24")));
    }

    @Test
    void defaultRoute() {
        inside.addLink(NewLink.veth("x0", "x1"));
        inside.setUp("x0");
        inside.setUp("x1");
        inside.addAddress("x0", IpPrefix.parse("198.18.9.1/24"));
        inside.addRoute(RouteSpec.via(IpPrefix.any(IpPrefix.AF_INET), IpPrefix.parseAddress("198.18.9.254")));
        assertEquals("198.18.9.254", find(ipJson("-n", ns, "route", "show"), "default").get("gateway"));
        assertTrue(inside.routes(IpPrefix.AF_INET).stream().anyMatch(Route::isDefault));
    }

    @Test
    void newNamespaceHasOnlyItsLoopbackAndItIsDown() {
        final List<Link> links = inside.links();
        assertEquals(1, links.size());
        assertEquals("lo", links.get(0).name());
        assertFalse(links.get(0).isUp());
        assertEquals(ipJson("-n", ns, "link", "show").get(0).get("flags"), links.get(0).flagNames());
    }

    @Test
    void existingLinkIsEexistWithAClearMessageAndNothingChanges() {
        final String a = lab.name("a");
        root.addLink(NewLink.veth(a, lab.name("b")));
        final long before = ownLinks();
        final KernelException e = assertThrows(KernelException.class,
            () -> root.addLink(NewLink.veth(a, lab.name("c"))));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("EEXIST", e.errnoName());
        assertTrue(e.getMessage().contains("link '" + a + "' already exists"), e.getMessage());
        assertTrue(e.getMessage().contains("pick another name or delete it"), e.getMessage());
        assertEquals(before, ownLinks());
        assertNull(ipLink(null, lab.name("c")));
    }

    /** Links of this run in the root namespace (other software may add or remove its own meanwhile). */
    private long ownLinks() {
        return root.links().stream().filter(l -> l.name().startsWith(lab.prefix)).count();
    }

    @Test
    void takenPeerNameInTheOtherNamespaceIsNamed() {
        inside.addLink(NewLink.veth("eth0", "eth1"));
        final KernelException e = assertThrows(KernelException.class,
            () -> root.addLink(NewLink.veth(lab.name("a"), "eth0").peerNamespace(KernelNamespace.named(ns))));
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("peer name 'eth0' is taken in namespace '" + ns + "'"), e.getMessage());
        assertNull(ipLink(null, lab.name("a")));
    }

    @Test
    void missingLinksAreEnodevWithAHint() {
        final String missing = lab.name("zz");
        final KernelException del = assertThrows(KernelException.class, () -> root.deleteLink(missing));
        assertEquals(Errno.ENODEV, del.errno());
        assertTrue(del.getMessage().contains("there is no link '" + missing + "'"), del.getMessage());
        final KernelException set = assertThrows(KernelException.class, () -> inside.setMtu(missing, 1400));
        assertEquals(Errno.ENODEV, set.errno());
        assertTrue(set.getMessage().contains("in namespace '" + ns + "'"), set.getMessage());
        assertTrue(set.getMessage().contains("nsdp -n " + ns + " link show"), set.getMessage());
        final KernelException addr = assertThrows(KernelException.class,
            () -> root.addAddress(missing, IpPrefix.parse("198.18.0.1/24")));
        assertEquals(Errno.ENODEV, addr.errno());
        final KernelException parent = assertThrows(KernelException.class,
            () -> root.addLink(NewLink.macvlan(lab.name("m"), missing, MacvlanMode.BRIDGE)));
        assertEquals(Errno.ENODEV, parent.errno());
        assertTrue(parent.getMessage().contains("parent link '" + missing + "' does not exist"), parent.getMessage());
        assertNull(ipLink(null, lab.name("m")));
    }

    @Test
    void badNamesAreRefusedBeforeTheKernelIsAsked() {
        final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
            () -> NewLink.veth("abcdefghijklmnop", "x"));
        assertTrue(tooLong.getMessage().contains("1..15 bytes"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NewLink.veth("a/b", "x"));
        assertThrows(IllegalArgumentException.class, () -> NewLink.veth("a b", "x"));
        assertThrows(IllegalArgumentException.class, () -> NewLink.veth(lab.name("a"), "abcdefghijklmnop"));
        assertThrows(IllegalArgumentException.class, () -> root.deleteLink(""));
        assertThrows(IllegalArgumentException.class, () -> new LinkChange().address("02:00:00:00:00"));
        // A 15-byte name is the longest the kernel takes, and it works.
        final String longest = (lab.prefix + "abcdefghijklmno").substring(0, 15);
        root.addLink(NewLink.veth(longest, lab.name("b")));
        assertNotNull(ipLink(null, longest));
    }

    @Test
    void badPrefixesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("198.18.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("198.18.0.256/24"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("2001:db8::1/129"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("198.18.0.1/x"));
        assertEquals(32, IpPrefix.parse("198.18.0.1").length());
        assertEquals("2001:db8::1/64", IpPrefix.parse("2001:DB8:0::1/64").toString());
    }

    @Test
    void routeWithHostBitsIsEinvalAndSaysWhichPrefixWasMeant() {
        inside.addLink(NewLink.veth("x0", "x1"));
        inside.setUp("x0");
        final KernelException e = assertThrows(KernelException.class,
            () -> inside.addRoute(RouteSpec.dev(IpPrefix.parse("198.18.5.1/24"), "x0")));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("did you mean 198.18.5.0/24"), e.getMessage());
        assertNotNull(e.kernelMessage(), "the kernel's extended ack is carried");
        assertNull(findOrNull(ipJson("-n", ns, "route", "show"), "198.18.5.0/24"));
    }

    @Test
    void duplicateAddressAndRouteAreEexist() {
        inside.addLink(NewLink.veth("x0", "x1"));
        inside.setUp("x0");
        inside.addAddress("x0", IpPrefix.parse("198.18.3.1/24"));
        assertEquals(Errno.EEXIST, assertThrows(KernelException.class,
            () -> inside.addAddress("x0", IpPrefix.parse("198.18.3.1/24"))).errno());
        inside.addRoute(RouteSpec.dev(IpPrefix.parse("198.18.4.0/24"), "x0"));
        final KernelException e = assertThrows(KernelException.class,
            () -> inside.addRoute(RouteSpec.dev(IpPrefix.parse("198.18.4.0/24"), "x0")));
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        final KernelException gone = assertThrows(KernelException.class,
            () -> inside.deleteAddress("x0", IpPrefix.parse("198.18.3.9/24")));
        assertEquals(Errno.EADDRNOTAVAIL, gone.errno());
    }

    @Test
    void loopbackCannotMove() {
        final KernelException e = assertThrows(KernelException.class,
            () -> inside.moveToNamespace("lo", KernelNamespace.current()));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("cannot leave its namespace"), e.getMessage());
        assertNotNull(ipLink(ns, "lo"));
    }

    @Test
    void bulkCreateAndDeleteReportEachItemAndTheKernelAgrees() {
        final List<NewLink> links = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add("b" + i);
            links.add(NewLink.veth("b" + i, "c" + i));
        }
        links.add(NewLink.veth("b7", "other")); // taken: fails alone
        final BulkResult made = inside.addLinks(links);
        assertEquals(1, made.failures().size());
        assertEquals(300, made.failures().get(0).index());
        assertEquals(Errno.EEXIST, ((KernelException) made.failures().get(0).error()).errno());
        assertEquals(601, ipJson("-n", ns, "link", "show").size()); // 300 pairs and lo

        names.add("nosuch");
        final BulkResult deleted = inside.deleteLinks(names);
        assertEquals(1, deleted.failures().size());
        assertEquals(300, deleted.failures().get(0).index());
        assertEquals(Errno.ENODEV, ((KernelException) deleted.failures().get(0).error()).errno());
        final List<Map<String, Object>> left = ipJson("-n", ns, "link", "show");
        assertEquals(1, left.size(), "only lo is left: " + left);
        assertEquals(1, inside.links().size());
    }

    @Test
    void bulkDeleteOfALoopbackFailsAloneAndLeavesItAsItWas() {
        inside.addLinks(List.of(NewLink.veth("d0", "d1"), NewLink.veth("d2", "d3"))).orThrow();
        final BulkResult result = inside.deleteLinks(List.of("d0", "lo", "d2"));
        assertEquals(1, result.failures().size());
        assertEquals(1, result.failures().get(0).index());
        assertEquals(Errno.EOPNOTSUPP, ((KernelException) result.failures().get(0).error()).errno());
        final List<Map<String, Object>> left = ipJson("-n", ns, "link", "show");
        assertEquals(1, left.size());
        assertEquals("default", left.get(0).get("group"), "lo was not retagged");
    }

    @Test
    void namespaceIdsAsIpReportsThem() {
        final String v = lab.name("v0");
        root.addLink(NewLink.veth(v, "eth0").peerNamespace(KernelNamespace.named(ns)));
        final int id = root.namespaceId(KernelNamespace.named(ns));
        assertTrue(id >= 0);
        assertEquals((long) id, ipLink(null, v).get("link_netnsid"));
        assertEquals(id, root.link(v).linkNetnsId());
    }

    private static String linkKind(final Map<String, Object> link) {
        return (String) ((Map<?, ?>) link.get("linkinfo")).get("info_kind");
    }

    private static Map<?, ?> infoData(final Map<String, Object> link) {
        return (Map<?, ?>) ((Map<?, ?>) link.get("linkinfo")).get("info_data");
    }

    private static Map<String, Object> find(final List<Map<String, Object>> routes, final String dst) {
        final Map<String, Object> route = findOrNull(routes, dst);
        assertNotNull(route, "no route to " + dst + " in " + routes);
        return route;
    }

    private static Map<String, Object> findOrNull(final List<Map<String, Object>> routes, final String dst) {
        for (final Map<String, Object> route : routes) {
            if (dst.equals(route.get("dst"))) {
                return route;
            }
        }
        return null;
    }

    private static List<String> sorted(final List<String> list) {
        final List<String> copy = new ArrayList<>(list);
        java.util.Collections.sort(copy);
        return copy;
    }
}
