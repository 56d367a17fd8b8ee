package dev.nsdp.perf.report;

import java.util.Locale;

/** Human figures: rates, bit rates, durations, counts. */
public final class Units {
    private Units() {
    }

    public static String pps(final double pps) {
        if (pps >= 1e6) {
            return String.format(Locale.ROOT, "%.3f Mpps", pps / 1e6);
        }
        if (pps >= 1e3) {
            return String.format(Locale.ROOT, "%.3f kpps", pps / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f pps", pps);
    }

    public static String bits(final double bitsPerSecond) {
        if (bitsPerSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.3f Gbit/s", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", bitsPerSecond / 1e6);
        }
        if (bitsPerSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.2f kbit/s", bitsPerSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f bit/s", bitsPerSecond);
    }

    /** A duration in the unit that fits it: "850 ns", "12.3 us", "4.56 ms", "1.23 s". */
    public static String nanos(final double ns) {
        final double a = Math.abs(ns);
        if (a < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        }
        if (a < 1e6) {
            return String.format(Locale.ROOT, a < 1e4 ? "%.2f us" : "%.1f us", ns / 1e3);
        }
        if (a < 1e9) {
            return String.format(Locale.ROOT, a < 1e7 ? "%.2f ms" : "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    /** An axis tick: the fitting unit and no trailing zeros ("500 ms", "2 s", "1.5 us"). */
    public static String tickNanos(final double ns) {
        final double a = Math.abs(ns);
        final double scale = a < 1e3 ? 1 : a < 1e6 ? 1e3 : a < 1e9 ? 1e6 : 1e9;
        final String unit = a < 1e3 ? " ns" : a < 1e6 ? " us" : a < 1e9 ? " ms" : " s";
        return trim(ns / scale) + unit;
    }

    /** A number with at most three decimals and no trailing zeros. */
    public static String trim(final double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return Long.toString(Math.round(v));
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    public static String count(final long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String percent(final double ratio) {
        return String.format(Locale.ROOT, "%.6f %%", ratio * 100);
    }
}
