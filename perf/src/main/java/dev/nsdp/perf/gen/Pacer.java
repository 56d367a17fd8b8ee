package dev.nsdp.perf.gen;

/**
 * The generator's intended schedule: frame {@code i} is due at {@code t0 + i * 1e9 / rate} ns,
 * computed exactly in integers (a whole interval plus a remainder carried as a fraction of the
 * rate, Bresenham-style), so the schedule never drifts however long the run. The schedule is fixed
 * when the run starts and never moves: being late does not shift it.
 */
public final class Pacer {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratePps;
    private final long wholeNanos;
    private final long remainder;
    private long next;
    private long fraction;

    public Pacer(final long ratePps) {
        if (ratePps < 1) {
            throw new IllegalArgumentException("rate must be at least 1 frame/s, got " + ratePps);
        }
        this.ratePps = ratePps;
        this.wholeNanos = NANOS_PER_SECOND / ratePps;
        this.remainder = NANOS_PER_SECOND % ratePps;
    }

    public void start(final long t0) {
        next = t0;
        fraction = 0;
    }

    /** Intended send time of the next frame. */
    public long next() {
        return next;
    }

    public void advance() {
        next += wholeNanos;
        fraction += remainder;
        if (fraction >= ratePps) {
            fraction -= ratePps;
            next++;
        }
    }

    public long ratePps() {
        return ratePps;
    }

    /**
     * Intended time of frame {@code i} counted from t0, exactly what {@link #advance()} reaches after
     * {@code i} steps: floor(i * 1e9 / rate), split so that nothing overflows.
     */
    public static long offsetOf(final long i, final long ratePps) {
        return i / ratePps * NANOS_PER_SECOND + (i % ratePps) * NANOS_PER_SECOND / ratePps;
    }
}
