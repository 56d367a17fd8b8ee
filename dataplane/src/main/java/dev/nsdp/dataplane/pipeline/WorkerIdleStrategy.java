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
    public static final int DEFAULT_SPINS = 200;
    public static final int DEFAULT_YIELDS = 20;
    public static final int DEFAULT_MAX_WAIT_MILLIS = 1;

    private final Worker worker;
    private final int spins;
    private final int yields;
    private final int maxWaitMillis;
    private int idleRounds;

    public WorkerIdleStrategy(final Worker worker) {
        this(worker, DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MAX_WAIT_MILLIS);
    }

    public WorkerIdleStrategy(final Worker worker, final int spins, final int yields, final int maxWaitMillis) {
        if (spins < 0 || yields < 0 || maxWaitMillis < 1) {
            throw new IllegalArgumentException("spins and yields must be >= 0 and maxWaitMillis >= 1");
        }
        this.worker = worker;
        this.spins = spins;
        this.yields = yields;
        this.maxWaitMillis = maxWaitMillis;
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
            idleRounds++;
            Thread.onSpinWait();
        } else if (idleRounds < spins + yields) {
            idleRounds++;
            Thread.yield();
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
