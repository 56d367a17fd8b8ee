package dev.nsdp.dataplane.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.dataplane.testing.Allocations;
import dev.nsdp.dataplane.testing.Frames;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing: after warm-up, a million frames switched by the worker (learn,
 * lookup, transmit, counters; UDP/IPv4 frames, so the parser validates L2 to L4) allocate less than 64 KiB on the worker's thread. The frames are
 * recycled from the egress host back into the ingress host, so the harness allocates nothing
 * either and the measurement sees the worker alone.
 */
class ZeroAllocationTest {
    private static final long FRAMES = 1_000_000;
    private static final long BUDGET_BYTES = 64 * 1024;

    @Test
    void oneMillionSwitchedFramesAllocateUnder64KiB() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (SwitchHarness h = new SwitchHarness(4096, 4096)) {
            h.proxy.namespaceCreated(1, Level.L2, NamespaceSettings.DEFAULTS);
            final MemoryLink a = h.attach("a", 0, 1);
            final MemoryLink b = h.attach("b", 1, 1);
            h.run();
            final long macA = MacAddress.parse("02:00:00:00:00:0a");
            final long macB = MacAddress.parse("02:00:00:00:00:0b");
            h.send("b", L2Frames.frame(macA, macB, 0)); // learn B on port 1
            h.run();
            h.received("a");
            for (int i = 0; i < 256; i++) {
                // Real UDP/IPv4 frames, so validation runs through L3 and L4 on every frame.
                h.send("a", Frames.udp4(macB, macA, "198.18.0.1", "198.18.0.2", 1000 + i, 2000, new byte[18]));
            }

            recycle(h, a, b, 2 * FRAMES); // warm-up: JIT compiles the whole path
            Allocations.warmUpUntilAllocationFree(() -> recycle(h, a, b, 10_000));
            final long before = threads.getCurrentThreadAllocatedBytes();
            final long forwarded = recycle(h, a, b, FRAMES);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertTrue(forwarded >= FRAMES, "forwarded only " + forwarded);
            assertTrue(allocated < BUDGET_BYTES,
                "switching " + forwarded + " frames allocated " + allocated + " bytes (budget " + BUDGET_BYTES + ")");
        }
    }

    /** Runs the worker, feeding every frame that reaches b back into a, until {@code frames} were forwarded. */
    private static long recycle(final SwitchHarness h, final MemoryLink a, final MemoryLink b, final long frames) {
        long forwarded = 0;
        long rounds = 0;
        while (forwarded < frames && rounds++ < frames) {
            h.worker.doWork();
            long d;
            while ((d = b.a().receive()) != -1L) {
                forwarded++;
                a.a().transmit(d);
            }
        }
        return forwarded;
    }
}
