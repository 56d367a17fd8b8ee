package dev.nsdp.perf.sink;

/**
 * Sequence accounting per stream: which sequence numbers arrived, so every frame is classified
 * exactly as new and in order (it advanced the stream, possibly over a gap), reordered (new, but
 * lower than one already received: RFC 4737's definition), a duplicate (already received), or too
 * old to tell (further behind the stream's highest sequence than the window remembers).
 *
 * <p>Each stream has a circular bitmap of {@code windowBits} bits indexed by sequence number; a bit
 * is set when that sequence arrives and cleared when the window moves past it. Losses so far are the
 * gaps: {@code highest + 1 - unique}; a late frame filling a gap reduces them again, so at the end they
 * are exact (a frame lost at the very end of a stream leaves no gap: a caller that knows how many
 * frames were sent uses {@code sent - unique}).
 *
 * <p>The 32-bit sequence number on the wire is extended to 64 bits as the value nearest to the
 * stream's highest (serial-number arithmetic), so streams may run past 2^32 frames. One thread; no
 * allocation after construction.
 */
public final class StreamTracker {
    public static final int ADVANCED = 0;
    public static final int REORDERED = 1;
    public static final int DUPLICATE = 2;
    public static final int TOO_OLD = 3;
    public static final int DEFAULT_WINDOW_BITS = 1 << 14;

    private final int streams;
    private final int windowBits;
    private final int wordsPerStream;
    private final long[] highest;
    private final long[] unique;
    private final long[] duplicates;
    private final long[] reordered;
    private final long[] tooOld;
    private final long[] seen;
    private long expectedTotal;
    private long uniqueTotal;
    private long duplicateTotal;
    private long reorderedTotal;
    private long tooOldTotal;

    public StreamTracker(final int streams, final int windowBits) {
        if (streams < 1) {
            throw new IllegalArgumentException("streams must be >= 1, got " + streams);
        }
        if (windowBits < 64 || Integer.bitCount(windowBits) != 1) {
            throw new IllegalArgumentException("reorder window must be a power of two >= 64, got " + windowBits);
        }
        final long bytes = (long) streams * windowBits / 8;
        if (bytes > 256L << 20) {
            throw new IllegalArgumentException(streams + " streams with a reorder window of " + windowBits
                + " need " + (bytes >> 20) + " MiB: use a smaller window");
        }
        this.streams = streams;
        this.windowBits = windowBits;
        this.wordsPerStream = windowBits / 64;
        this.highest = new long[streams];
        this.unique = new long[streams];
        this.duplicates = new long[streams];
        this.reordered = new long[streams];
        this.tooOld = new long[streams];
        this.seen = new long[streams * wordsPerStream];
        java.util.Arrays.fill(highest, -1L);
    }

    /** Accounts one frame of {@code stream} (0-based, < streams) and returns its class. */
    public int record(final int stream, final int sequence) {
        final long h = highest[stream];
        final long s = h + (int) (sequence - (int) h);
        if (s > h) {
            forget(stream, h + 1, s);
            mark(stream, s);
            expectedTotal += s - h;
            highest[stream] = s;
            unique[stream]++;
            uniqueTotal++;
            return ADVANCED;
        }
        if (s < 0 || h - s >= windowBits) {
            tooOld[stream]++;
            tooOldTotal++;
            return TOO_OLD;
        }
        final int bit = (int) (s & (windowBits - 1));
        final int word = stream * wordsPerStream + (bit >>> 6);
        final long mask = 1L << bit;
        if ((seen[word] & mask) != 0) {
            duplicates[stream]++;
            duplicateTotal++;
            return DUPLICATE;
        }
        seen[word] |= mask;
        unique[stream]++;
        uniqueTotal++;
        reordered[stream]++;
        reorderedTotal++;
        return REORDERED;
    }

    private void mark(final int stream, final long s) {
        final int bit = (int) (s & (windowBits - 1));
        seen[stream * wordsPerStream + (bit >>> 6)] |= 1L << bit;
    }

    /** Clears the bits of sequences {@code from..to} (their slots held sequences a window older). */
    private void forget(final int stream, final long from, final long to) {
        final int base = stream * wordsPerStream;
        if (to - from + 1 >= windowBits) {
            java.util.Arrays.fill(seen, base, base + wordsPerStream, 0L);
            return;
        }
        long s = from;
        while (s <= to) {
            final int bit = (int) (s & (windowBits - 1));
            if ((bit & 63) == 0 && to - s >= 63) {
                seen[base + (bit >>> 6)] = 0L;
                s += 64;
            } else {
                seen[base + (bit >>> 6)] &= ~(1L << bit);
                s++;
            }
        }
    }

    public int streams() {
        return streams;
    }

    public int windowBits() {
        return windowBits;
    }

    /** Highest sequence received on the stream, or -1. */
    public long highest(final int stream) {
        return highest[stream];
    }

    public long unique(final int stream) {
        return unique[stream];
    }

    public long duplicates(final int stream) {
        return duplicates[stream];
    }

    public long reordered(final int stream) {
        return reordered[stream];
    }

    public long tooOld(final int stream) {
        return tooOld[stream];
    }

    /** Gaps so far: sequences below the highest that have not arrived. */
    public long lost(final int stream) {
        return highest[stream] + 1 - unique[stream];
    }

    /** Sum over streams of highest + 1: the frames the sink knows were sent. */
    public long expectedTotal() {
        return expectedTotal;
    }

    public long uniqueTotal() {
        return uniqueTotal;
    }

    public long duplicateTotal() {
        return duplicateTotal;
    }

    public long reorderedTotal() {
        return reorderedTotal;
    }

    public long tooOldTotal() {
        return tooOldTotal;
    }

    public long lostTotal() {
        return expectedTotal - uniqueTotal;
    }
}
