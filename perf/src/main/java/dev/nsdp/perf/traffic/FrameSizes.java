package dev.nsdp.perf.traffic;

import java.util.Arrays;

/**
 * The frame sizes a generator cycles through: one size, a list (frames take the sizes in turn), or
 * IMIX. Sizes follow RFC 2544: they count the 4-byte Ethernet FCS, which a software port neither
 * sends nor receives, so a "64-byte" frame is 60 bytes in packet memory. Bit rates are reported over
 * these sizes (FCS included); {@link #L1_OVERHEAD} more bytes per frame (preamble, start delimiter,
 * inter-frame gap) give the line rate.
 *
 * <p>IMIX is the "simple IMIX" most testers ship (Spirent, Ixia, TRex): 64, 594 and 1518 bytes in the
 * ratio 7:4:1, average 361.83 bytes, interleaved in a fixed 12-frame pattern so every window of 12
 * frames has the exact mix.
 */
public final class FrameSizes {
    public static final int FCS = 4;
    public static final int L1_OVERHEAD = 20;
    public static final int MIN = 64;
    public static final int MAX = 9000;
    /** The frame sizes RFC 2544 section 9.1 lists for Ethernet. */
    public static final int[] RFC2544_ETHERNET = {64, 128, 256, 512, 1024, 1280, 1518};

    private static final int[] IMIX_PATTERN = {64, 594, 64, 1518, 64, 594, 64, 64, 594, 64, 594, 64};

    private final String name;
    private final int[] pattern;

    private FrameSizes(final String name, final int[] pattern) {
        this.name = name;
        this.pattern = pattern;
    }

    public static FrameSizes fixed(final int size) {
        return of(Integer.toString(size), new int[] {size});
    }

    public static FrameSizes imix() {
        return of("imix", IMIX_PATTERN.clone());
    }

    /** Frames take the sizes in turn. */
    public static FrameSizes cycle(final int... sizes) {
        final StringBuilder name = new StringBuilder();
        for (final int size : sizes) {
            name.append(name.isEmpty() ? "" : ",").append(size);
        }
        return of(name.toString(), sizes.clone());
    }

    private static FrameSizes of(final String name, final int[] pattern) {
        if (pattern.length == 0) {
            throw new IllegalArgumentException("no frame size given");
        }
        for (final int size : pattern) {
            if (size < MIN || size > MAX) {
                throw new IllegalArgumentException("frame size " + size + " is outside " + MIN + ".." + MAX
                    + " bytes (sizes count the 4-byte FCS, as RFC 2544 does)");
            }
        }
        return new FrameSizes(name, pattern);
    }

    /** "64", "imix", or a comma list "64,128,1518" (frames cycle through the list). */
    public static FrameSizes parse(final String text) {
        final String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("imix")) {
            return imix();
        }
        final String[] parts = t.split(",");
        final int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                sizes[i] = Integer.parseInt(parts[i].trim());
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("frame size '" + parts[i].trim() + "' is not a number (or 'imix')");
            }
        }
        return sizes.length == 1 ? fixed(sizes[0]) : cycle(sizes);
    }

    public String name() {
        return name;
    }

    public int patternLength() {
        return pattern.length;
    }

    /** Size of the {@code i}-th frame of the pattern, FCS included. */
    public int size(final int i) {
        return pattern[i];
    }

    public int min() {
        return Arrays.stream(pattern).min().orElseThrow();
    }

    public int max() {
        return Arrays.stream(pattern).max().orElseThrow();
    }

    /** Average size over the pattern, FCS included: bit/s = pps * 8 * average. */
    public double average() {
        return Arrays.stream(pattern).average().orElseThrow();
    }

    public boolean isImix() {
        return name.equals("imix");
    }

    @Override
    public String toString() {
        return name;
    }
}
