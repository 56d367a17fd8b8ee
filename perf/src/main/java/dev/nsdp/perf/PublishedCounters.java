package dev.nsdp.perf;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters written by one agent thread and read by a reporting thread. The writer uses release
 * stores (plain moves on x86: no fence, no lock prefix) of values it alone computes, so counting
 * costs what a plain field costs; readers use acquire loads and see whole, recent values.
 */
public final class PublishedCounters {
    private final AtomicLongArray values;

    public PublishedCounters(final int size) {
        this.values = new AtomicLongArray(size);
    }

    /** Writer thread only. */
    public void add(final int index, final long delta) {
        values.setRelease(index, values.getPlain(index) + delta);
    }

    /** Writer thread only. */
    public void increment(final int index) {
        add(index, 1);
    }

    /** Writer thread only. */
    public void set(final int index, final long value) {
        values.setRelease(index, value);
    }

    /** Writer thread only: raises the value to {@code value} if it is larger. */
    public void max(final int index, final long value) {
        if (value > values.getPlain(index)) {
            values.setRelease(index, value);
        }
    }

    /** Any thread. */
    public long get(final int index) {
        return values.getAcquire(index);
    }
}
