package dev.nsdp.perf.testing;

import java.util.function.BooleanSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedNanoClock;

/**
 * Runs agents in one thread against a stepped clock: each step calls every agent's doWork once,
 * in order, then advances the clock. Deterministic: the same run gives the same counts and the
 * same latencies every time, whatever the machine's load, so latency assertions are exact.
 */
public final class Stepper {
    private final CachedNanoClock clock;
    private final long stepNanos;

    public Stepper(final CachedNanoClock clock, final long stepNanos) {
        this.clock = clock;
        this.stepNanos = stepNanos;
    }

    /** Steps until {@code done} is true or {@code maxSteps} were taken; returns the steps taken. */
    public long run(final long maxSteps, final BooleanSupplier done, final Agent... agents) {
        long steps = 0;
        while (steps < maxSteps && !done.getAsBoolean()) {
            for (final Agent agent : agents) {
                try {
                    agent.doWork();
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            clock.advance(stepNanos);
            steps++;
        }
        return steps;
    }

    /** Steps a fixed number of times. */
    public void steps(final long n, final Agent... agents) {
        run(n, () -> false, agents);
    }

    public CachedNanoClock clock() {
        return clock;
    }
}
