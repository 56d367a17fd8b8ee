package dev.nsdp.control.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.dataplane.testing.Frames;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes made through the control service reach the running worker, and so does a replayed journal. */
class LiveForwardingTest {
    static final Caller ADMIN = Caller.administrator("root");
    static final long HOST_A = Frames.mac("02:00:00:00:00:0a");
    static final long HOST_B = Frames.mac("02:00:00:00:00:0b");

    @TempDir
    Path dir;

    @Test
    void aStaticMacConfiguredThroughTheServiceSteersFramesBeforeAndAfterReplay() {
        try (ServiceFixture f = new ServiceFixture(dir)) {
            ControlServiceTest.ok(f.call(ADMIN, new Request.AddNamespace("red", Level.L2, null, null)));
            for (final String port : new String[] {"eth0", "eth1", "eth2"}) {
                ControlServiceTest.ok(f.call(ADMIN, new Request.AddPort("red", port, PortSpec.memory("m-" + port))));
                ControlServiceTest.ok(f.call(ADMIN, new Request.SetPortUp("red", port, true)));
            }
            ControlServiceTest.ok(f.call(ADMIN, new Request.AddStaticMac("red", HOST_B, "eth2")));
            assertDeliveredOnlyTo(f, "m-eth2");
        }
        try (ServiceFixture f = new ServiceFixture(dir)) {
            // The replay re-opened the memory links and programmed the new worker: the static MAC steers again.
            assertDeliveredOnlyTo(f, "m-eth2");
            ControlServiceTest.ok(f.call(ADMIN, new Request.DeleteStaticMac("red", HOST_B)));
            ControlServiceTest.ok(f.call(ADMIN, new Request.AddStaticMac("red", HOST_B, "eth1")));
            assertDeliveredOnlyTo(f, "m-eth1");
        }
    }

    /** Sends a unicast frame A → B into eth0 and checks it leaves on exactly {@code link}, byte for byte. */
    private static void assertDeliveredOnlyTo(final ServiceFixture f, final String link) {
        final byte[] frame = Frames.ethernet(HOST_B, HOST_A, Frames.ETHERTYPE_IPV4, Frames.ipv4Packet(Frames.ipv4("198.18.0.1"),
            Frames.ipv4("198.18.0.2"), Frames.PROTOCOL_UDP,
            Frames.udpDatagram4(Frames.ipv4("198.18.0.1"), Frames.ipv4("198.18.0.2"), 5000, 5001, new byte[18])));
        final PacketPool pool = f.dataplane.pool();
        final BufferCache cache = pool.newCache(8);
        f.dataplane.sync();
        final long d = Descriptor.of(cache.allocate(), pool.headroom(), frame.length);
        pool.view().putBytes(pool.offsetOf(d), frame);
        final MemoryLink.End sender = f.ports.hostEnd("m-eth0");
        assertEquals(true, sender.transmit(d));
        final MemoryLink.End receiver = f.ports.hostEnd(link);
        long got = -1;
        for (int i = 0; i < 5_000 && got == -1; i++) {
            got = receiver.receive();
            if (got == -1) {
                LockSupport.parkNanos(100_000);
            }
        }
        f.dataplane.sync();
        final byte[] bytes = new byte[Descriptor.length(got)];
        pool.view().getBytes(pool.offsetOf(got), bytes);
        assertArrayEquals(frame, bytes);
        cache.free(got);
        for (final String other : new String[] {"m-eth0", "m-eth1", "m-eth2"}) {
            if (!other.equals(link)) {
                assertEquals(-1L, f.ports.hostEnd(other).receive(), "nothing leaves on " + other);
            }
        }
    }
}
