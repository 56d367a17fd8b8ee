package dev.nsdp.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceException;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.dataplane.testing.Frames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole dataplane with its worker on its own thread, configured only through the namespace
 * registry: the model's semantics (move, delete, ownership) show in where real frames go.
 */
class DataplaneTest {
    static final Caller ADMIN = Caller.administrator("admin");
    static final long MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    static final long MAC_B = MacAddress.parse("02:00:00:00:00:0b");

    Dataplane dp;
    BufferCache hostCache;

    @BeforeEach
    void setUp() {
        dp = new Dataplane(new Dataplane.Config(4096, 4096)).start();
        hostCache = dp.pool().newCache(64);
    }

    @AfterEach
    void tearDown() {
        dp.close();
    }

    private MemoryLink attach(final String ns, final String port) {
        final MemoryLink link = new MemoryLink("host-" + ns + "-" + port, port);
        dp.namespaces().addPort(ADMIN, ns, port, link.b());
        dp.namespaces().setPortUp(ADMIN, ns, port, true);
        return link;
    }

    /** Configuration applies between bursts: sync first, so the frame meets the configuration just made. */
    private void send(final MemoryLink link, final byte[] frame) {
        dp.sync();
        assertTrue(link.a().transmit(Frames.write(dp.pool(), hostCache, frame)));
    }

    /**
     * What the host has received once the worker has taken every frame the hosts sent (bounded
     * wait) and finished the round that took them: a sync command is applied at the start of a
     * later round, after the earlier round flushed its transmit queues.
     */
    private List<byte[]> received(final MemoryLink link) {
        for (int i = 0; i < 2000 && anyPending(); i++) {
            LockSupport.parkNanos(100_000);
        }
        dp.sync();
        final List<byte[]> frames = new ArrayList<>();
        long d;
        while ((d = link.a().receive()) != -1L) {
            frames.add(Frames.read(dp.pool(), d));
            hostCache.free(d);
        }
        return frames;
    }

    private final List<MemoryLink> links = new ArrayList<>();

    private boolean anyPending() {
        for (final MemoryLink l : links) {
            if (l.b().pending() > 0) {
                return true;
            }
        }
        return false;
    }

    private byte[] arp(final long src, final String srcIp, final String dstIp) {
        return Frames.arpRequest(src, Frames.ipv4(srcIp), Frames.ipv4(dstIp));
    }

    @Test
    void tenantsWithTheSameAddressesAreIsolatedAndAMovedPortChangesSides() {
        final NamespaceRegistry ns = dp.namespaces();
        ns.createNamespace(ADMIN, "red", Level.L2);
        ns.createNamespace(ADMIN, "blue", Level.L2);
        final MemoryLink redA = track(attach("red", "eth0"));
        final MemoryLink redB = track(attach("red", "eth1"));
        final MemoryLink blueA = track(attach("blue", "eth0"));
        final MemoryLink blueB = track(attach("blue", "eth1"));

        send(redA, arp(MAC_A, "198.18.0.1", "198.18.0.2"));
        assertEquals(1, received(redB).size(), "red's broadcast reaches red");
        assertEquals(0, received(blueB).size(), "and never blue, though blue uses the same addresses");
        assertEquals(0, received(blueA).size());

        // Move blue's eth1 into red as eth2 (the administrator may): it now hears red, and blue no longer has it.
        ns.movePort(ADMIN, "eth1", "blue", "red", "eth2");
        assertThrows(NamespaceException.class, () -> ns.port("blue", "eth1"), "hidden from the source");
        assertEquals("red", ns.port("red", "eth2").namespace(), "shown in the destination");
        ns.setPortUp(ADMIN, "red", "eth2", true); // moved ports arrive down, as in Linux
        send(redA, arp(MAC_A, "198.18.0.1", "198.18.0.2"));
        assertEquals(1, received(blueB).size(), "the moved port hears red now");
        assertEquals(1, received(redB).size());
        assertEquals(0, received(blueA).size(), "blue hears nothing of red");

        // An unprivileged caller who owns neither side may not move it back; nothing changes.
        final NamespaceException refused = assertThrows(NamespaceException.class,
            () -> ns.movePort(Caller.user("mallory"), "eth2", "red", "blue", "eth1"));
        assertEquals(NamespaceException.Kind.PERMISSION_DENIED, refused.kind());
        assertEquals("red", ns.port("red", "eth2").namespace());
    }

    @Test
    void deletingANamespaceReturnsItsPortsToRootWhereTheySwitchAgain() {
        final NamespaceRegistry ns = dp.namespaces();
        ns.createNamespace(ADMIN, "red", Level.L2);
        final MemoryLink a = track(attach("red", "eth0"));
        final MemoryLink b = track(attach("red", "eth1"));
        ns.deleteNamespace(ADMIN, "red");
        assertEquals(2, ns.ports("root").size());
        // Returned ports arrive down; set them up in root and they switch there.
        for (final var port : ns.ports("root")) {
            ns.setPortUp(ADMIN, "root", port.name(), true);
        }
        send(a, arp(MAC_A, "198.18.0.1", "198.18.0.2"));
        assertEquals(1, received(b).size());
        assertEquals(1, dp.worker().counters().namespaceRxPackets(NamespaceRegistry.ROOT_ID));
    }

    @Test
    void aLevel3NamespaceRefusesChildrenAndNothingChanges() {
        final NamespaceRegistry ns = dp.namespaces();
        ns.createNamespace(ADMIN, "l3", Level.L3);
        final int before = ns.namespaceCount();
        final NamespaceException e = assertThrows(NamespaceException.class,
            () -> ns.createNamespace(ADMIN, "child", Level.L2, "l3", "admin"));
        assertEquals(NamespaceException.Kind.PERMISSION_DENIED, e.kind());
        assertEquals(before, ns.namespaceCount());
    }

    private MemoryLink track(final MemoryLink link) {
        links.add(link);
        return link;
    }
}
