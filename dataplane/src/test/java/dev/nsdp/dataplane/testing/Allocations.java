package dev.nsdp.dataplane.testing;

import java.lang.management.ManagementFactory;

/** Measuring what the calling thread allocates, for the zero-allocation tests of the hot paths. */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Bytes the calling thread has allocated so far. */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Runs {@code round} until the JIT has compiled its path: until a window of 1,000 rounds
     * allocates nothing on this thread, at most 60 s (then the caller's measurement shows what is
     * left). On a loaded 2-core machine C2 can lag far behind, and code it has not compiled yet
     * (interpreted or C1, no escape analysis) allocates where compiled code does not - notably
     * FFM downcalls - so a fixed warm-up count makes allocation tests flaky.
     */
    public static void warmUpUntilAllocationFree(final Runnable round) {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            round.run();
        }
        while (System.nanoTime() - deadline < 0) {
            final long before = allocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                round.run();
            }
            if (allocatedBytes() == before) {
                return;
            }
        }
    }
}
