package dev.nsdp.control.kernel;

import static dev.nsdp.control.testing.KernelLab.ip;
import static dev.nsdp.control.testing.KernelLab.ipLink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.testing.KernelLab;
import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Persistent TAP/TUN devices made by nsdp are what ip calls tun devices of the right type. */
class TapDevicesTest {
    private KernelLab lab;
    private String ns;

    @BeforeEach
    void setUp() {
        lab = new KernelLab();
        ns = lab.name("t");
        ip("netns", "add", ns);
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void persistentTapInANamespace() {
        TapDevices.add(KernelNamespace.named(ns), "tap0", TapDevices.Mode.TAP, false);
        final Map<String, Object> link = ipLink(ns, "tap0");
        assertNotNull(link, "the tap outlived the descriptor that made it");
        final Map<?, ?> info = (Map<?, ?>) link.get("linkinfo");
        assertEquals("tun", info.get("info_kind"));
        assertEquals("tap", ((Map<?, ?>) info.get("info_data")).get("type"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) info.get("info_data")).get("persist"));
        assertEquals("ether", link.get("link_type"));

        TapDevices.delete(KernelNamespace.named(ns), "tap0");
        assertNull(ipLink(ns, "tap0"));
    }

    @Test
    void persistentTunInTheRootNamespace() {
        final String name = lab.name("u");
        TapDevices.add(KernelNamespace.current(), name, TapDevices.Mode.TUN, true);
        final Map<String, Object> link = ipLink(null, name);
        assertNotNull(link);
        final Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) link.get("linkinfo")).get("info_data");
        assertEquals("tun", data.get("type"));
        assertEquals(Boolean.TRUE, data.get("multi_queue"));
        try (RtNetlink rtnl = RtNetlink.open()) {
            assertEquals("tun", rtnl.link(name).kind());
        }
    }

    @Test
    void tapMadeByIpIsDeletedByNsdp() {
        ip("-n", ns, "tuntap", "add", "dev", "tap9", "mode", "tap");
        TapDevices.delete(KernelNamespace.named(ns), "tap9");
        assertNull(ipLink(ns, "tap9"));
    }

    @Test
    void existingNameIsEexistAndOtherKindsAreNotDeleted() {
        try (RtNetlink rtnl = RtNetlink.openNamed(ns)) {
            rtnl.addLink(NewLink.veth("v0", "v1"));
        }
        final KernelException e = assertThrows(KernelException.class,
            () -> TapDevices.add(KernelNamespace.named(ns), "v0", TapDevices.Mode.TAP, false));
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        final IllegalArgumentException notTap = assertThrows(IllegalArgumentException.class,
            () -> TapDevices.delete(KernelNamespace.named(ns), "v0"));
        assertTrue(notTap.getMessage().contains("not a tun/tap device"), notTap.getMessage());
        assertNotNull(ipLink(ns, "v0"));
    }
}
