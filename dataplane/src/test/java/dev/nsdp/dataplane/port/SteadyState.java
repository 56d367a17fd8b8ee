package dev.nsdp.dataplane.port;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Test helper: how many bytes a loop allocates once it runs compiled. A round runs in windows of
 * {@code windowRounds}; measuring stops at the first window that allocated nothing. Code the JIT
 * has not compiled yet (a machine under load compiles late) allocates in the interpreter; code that
 * allocates per frame allocates in every window, so the last window says which it is.
 */
final class SteadyState {
    /** One window: bytes the thread allocated, and how much work (frames, super-frames) it did. */
    record Window(long allocatedBytes, long work) {
    }

    private SteadyState() {
    }

    /**
     * Runs {@code round} until {@code warmed} holds, then in windows of {@code windowRounds} until a
     * window allocated nothing while doing at least {@code minWork} work, or {@code maxWindows}
     * windows, or {@code keepGoing} says stop.
     */
    static List<Window> windows(final Runnable round, final BooleanSupplier warmed, final int windowRounds,
                                final int maxWindows, final LongSupplier work, final long minWork,
                                final BooleanSupplier keepGoing) {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        while (!warmed.getAsBoolean() && keepGoing.getAsBoolean()) {
            round.run();
        }
        final List<Window> windows = new ArrayList<>();
        // At least one window, even when warming up used the whole time (a heavily loaded machine).
        for (int w = 0; w < maxWindows && (w == 0 || keepGoing.getAsBoolean()); w++) {
            final long workBefore = work.getAsLong();
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < windowRounds; i++) {
                round.run();
            }
            final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            final Window window = new Window(bytes, work.getAsLong() - workBefore);
            windows.add(window);
            if (bytes == 0 && window.work() >= minWork) {
                break;
            }
        }
        return windows;
    }
}
