package dev.nsdp.dataplane.pipeline;

import org.agrona.concurrent.IdleStrategy;

/**
 * How a worker waits when a round found nothing to do: spin a little (a burst may be a
 * microsecond away), then yield, then block in poll() on its ports' descriptors until a frame
 * arrives or {@code maxWaitMillis} passes (so configuration commands and MAC aging still run).
 *
 * <p>Why not spin forever: a worker shares its core with the kernel's softirq work for its links
 * (a veth delivers on the sender's core; RPS moves it to ours). A DUT that never yields starves
 * that work and collapses (see the anchors: testpmd fell to 57 kpps). Runs on the worker's thread.
 */
public final class WorkerIdleStrategy implements IdleStrategy {
    /**
     * What an idle worker optimises for. BALANCED blocks in poll() a few microseconds after its last
     * frame: an idle forwarder costs nothing, and every frame that finds it asleep pays a wake-up
     * (tens of microseconds in a VM, where an idle vCPU halts). LATENCY keeps spinning for
     * {@link #LATENCY_HOT_NANOS} after the last frame before it blocks, so frames at any rate above
     * one per second find it awake. Spinning, not yielding: measured on veth, a yielding worker
     * added 17 µs to the median ping RTT (41 against 24 µs, dpdk-testpmd 17 µs). The price: while
     * traffic flows the worker's core does nothing else, so use it only where the kernel does not
     * steer other work (RPS) to that core: a worker that never sleeps starves it (the anchors'
     * testpmd fell to 57 kpps that way). BALANCED is the safe default.
     */
    public enum Mode {
        BALANCED, LATENCY;

        public static Mode parse(final String text) {
            for (final Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(text)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("idle mode must be balanced or latency, got '" + text + "'");
        }
    }

    /** How long a LATENCY worker stays awake after its last frame. */
    public static final long LATENCY_HOT_NANOS = 1_000_000_000L;
    public static final int DEFAULT_SPINS = 200;
    public static final int DEFAULT_YIELDS = 20;
    public static final int DEFAULT_MAX_WAIT_MILLIS = 1;

    private final Worker worker;
    private final int spins;
    private final int yields;
    private final int maxWaitMillis;
    private final long hotNanos;
    private int idleRounds;
    private long idleSinceNanos;

    public WorkerIdleStrategy(final Worker worker) {
        this(worker, DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MAX_WAIT_MILLIS);
    }

    public WorkerIdleStrategy(final Worker worker, final Mode mode) {
        this(worker, DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MAX_WAIT_MILLIS, mode == Mode.LATENCY ? LATENCY_HOT_NANOS : 0);
    }

    public WorkerIdleStrategy(final Worker worker, final int spins, final int yields, final int maxWaitMillis) {
        this(worker, spins, yields, maxWaitMillis, 0);
    }

    /**
     * @param hotNanos after the spins and yields, keep spinning until this long after the last work
     *                 before blocking (0: block at once)
     */
    public WorkerIdleStrategy(final Worker worker, final int spins, final int yields, final int maxWaitMillis,
                              final long hotNanos) {
        if (spins < 0 || yields < 0 || maxWaitMillis < 1 || hotNanos < 0) {
            throw new IllegalArgumentException("spins and yields must be >= 0 and maxWaitMillis >= 1");
        }
        this.worker = worker;
        this.spins = spins;
        this.yields = yields;
        this.maxWaitMillis = maxWaitMillis;
        this.hotNanos = hotNanos;
    }

    @Override
    public void idle(final int workCount) {
        if (workCount > 0) {
            idleRounds = 0;
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (idleRounds < spins) {
            if (idleRounds++ == 0 && hotNanos > 0) {
                idleSinceNanos = System.nanoTime();
            }
            Thread.onSpinWait();
        } else if (idleRounds < spins + yields) {
            idleRounds++;
            Thread.yield();
        } else if (hotNanos > 0 && System.nanoTime() - idleSinceNanos < hotNanos) {
            Thread.onSpinWait(); // not yield(): see Mode
        } else {
            worker.waitForFrames(maxWaitMillis);
        }
    }

    @Override
    public void reset() {
        idleRounds = 0;
    }

    @Override
    public String alias() {
        return "spin-yield-poll";
    }
}
