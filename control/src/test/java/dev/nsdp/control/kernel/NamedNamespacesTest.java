package dev.nsdp.control.kernel;

import static dev.nsdp.control.testing.KernelLab.ip;
import static dev.nsdp.control.testing.KernelLab.ipJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.testing.KernelLab;
import dev.nsdp.dataplane.nativ.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Named namespaces made by nsdp are iproute2's, and iproute2's are nsdp's. */
class NamedNamespacesTest {
    private KernelLab lab;

    @BeforeEach
    void setUp() {
        lab = new KernelLab();
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void madeByNsdpIsListedAndUsableByIp() {
        final String name = lab.name("a");
        NamedNamespaces.add(name);
        assertTrue(ipNetnsNames().contains(name));
        final List<Map<String, Object>> links = ipJson("-n", name, "link", "show");
        assertEquals(1, links.size(), "a new namespace has only its loopback");
        assertEquals("lo", links.get(0).get("ifname"));
        assertEquals("DOWN", links.get(0).get("operstate"));
        // a namespace of its own: not the root one
        assertFalse(ip("-n", name, "link", "show").contains("eth0"));
    }

    @Test
    void madeByIpIsListedAndUsableByNsdp() {
        final String name = lab.name("b");
        ip("netns", "add", name);
        assertTrue(NamedNamespaces.list().contains(name));
        assertTrue(NamedNamespaces.exists(name));
        try (RtNetlink rtnl = RtNetlink.openNamed(name)) {
            rtnl.addLink(NewLink.veth("x0", "x1"));
        }
        assertEquals(3, ipJson("-n", name, "link", "show").size());
    }

    @Test
    void deletedByNsdpWhenMadeByIpAndTheOtherWayRound() {
        final String a = lab.name("c");
        final String b = lab.name("d");
        ip("netns", "add", a);
        NamedNamespaces.add(b);
        NamedNamespaces.delete(a);
        ip("netns", "del", b);
        final List<String> names = ipNetnsNames();
        assertFalse(names.contains(a));
        assertFalse(names.contains(b));
        assertFalse(NamedNamespaces.list().contains(a));
        assertFalse(NamedNamespaces.list().contains(b));
    }

    @Test
    void manyAtOnceAreEachARealNamespace() {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add(lab.name("m" + i));
        }
        assertTrue(NamedNamespaces.addAll(names, 2).ok());
        assertTrue(ipNetnsNames().containsAll(names));
        // distinct namespaces: a link made in one is not in another
        try (RtNetlink first = RtNetlink.openNamed(names.get(0))) {
            first.addLink(NewLink.veth("only0", "only1"));
        }
        assertEquals(3, ipJson("-n", names.get(0), "link", "show").size());
        assertEquals(1, ipJson("-n", names.get(39), "link", "show").size());
        final BulkResult deleted = NamedNamespaces.deleteAll(names, 2);
        assertTrue(deleted.ok(), deleted.toString());
        final List<String> left = ipNetnsNames();
        for (final String name : names) {
            assertFalse(left.contains(name));
        }
    }

    @Test
    void existingNameIsEexistAndTheNamespaceIsUntouched() {
        final String name = lab.name("e");
        NamedNamespaces.add(name);
        try (RtNetlink rtnl = RtNetlink.openNamed(name)) {
            rtnl.addLink(NewLink.veth("keep0", "keep1"));
        }
        final KernelException e = assertThrows(KernelException.class, () -> NamedNamespaces.add(name));
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("namespace '" + name + "' already exists"), e.getMessage());
        assertEquals(3, ipJson("-n", name, "link", "show").size());

        final BulkResult bulk = NamedNamespaces.addAll(List.of(lab.name("f"), name), 1);
        assertEquals(1, bulk.failures().size());
        assertEquals(1, bulk.failures().get(0).index());
        assertTrue(ipNetnsNames().contains(lab.name("f")));
        assertEquals(3, ipJson("-n", name, "link", "show").size());
    }

    @Test
    void missingNameIsEnoentWithAHint() {
        final String name = lab.name("zz");
        final KernelException e = assertThrows(KernelException.class, () -> NamedNamespaces.delete(name));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("there is no namespace '" + name + "'"), e.getMessage());
        final KernelException open = assertThrows(KernelException.class, () -> RtNetlink.openNamed(name));
        assertTrue(open.getMessage().contains("nsdp netns add " + name), open.getMessage());
    }

    @Test
    void badNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NamedNamespaces.add("a/b"));
        assertThrows(IllegalArgumentException.class, () -> NamedNamespaces.add(".."));
        assertThrows(IllegalArgumentException.class, () -> NamedNamespaces.add(""));
        assertThrows(IllegalArgumentException.class, () -> NamedNamespaces.add("x".repeat(256)));
    }

    @Test
    void runNetnsIsASharedMountAsIproute2MakesIt() throws Exception {
        NamedNamespaces.add(lab.name("g"));
        boolean shared = false;
        for (final String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            final String[] fields = line.split(" ");
            if (fields.length > 6 && fields[4].equals("/run/netns")) {
                shared |= line.contains(" shared:");
            }
        }
        assertTrue(shared, "/run/netns is a shared mount");
    }

    private static List<String> ipNetnsNames() {
        final List<String> names = new ArrayList<>();
        for (final Map<String, Object> entry : ipJson("netns", "list")) {
            names.add((String) entry.get("name"));
        }
        return names;
    }
}
