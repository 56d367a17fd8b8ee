package dev.nsdp.perf.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One chart panel drawn as SVG: a title, two axes with ticks, grid and labels, lines and point
 * series with a legend, and optional notes under the title. Self-contained SVG 1.1 (no scripts, no
 * external fonts or styles), so any browser or rsvg-convert renders it.
 */
public final class SvgChart {
    /** An axis: maps a data value to [0, 1] and lists its ticks with labels. */
    public static final class Axis {
        final String label;
        final double min;
        final double max;
        final boolean log;
        final List<double[]> ticks = new ArrayList<>();
        final List<String> tickLabels = new ArrayList<>();

        private Axis(final String label, final double min, final double max, final boolean log) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.log = log;
        }

        /** Linear from {@code min} to {@code max}, ticks at 1-2-5 steps, labelled by {@code format}. */
        public static Axis linear(final String label, final double min, final double max, final DoubleFunction<String> format) {
            final double top = max > min ? max : min + 1;
            final Axis a = new Axis(label, min, top, false);
            final double raw = (top - min) / 6;
            final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            final double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude
                : raw / magnitude < 7.5 ? 5 * magnitude : 10 * magnitude;
            for (double v = Math.ceil(min / step) * step; v <= top + step * 1e-9; v += step) {
                a.tick(v, format.apply(v));
            }
            return a;
        }

        /** Base-10 logarithmic from {@code min} to {@code max} (both > 0), ticks at 1, 2, 5 per decade. */
        public static Axis log(final String label, final double min, final double max, final DoubleFunction<String> format) {
            final double lo = Math.pow(10, Math.floor(Math.log10(min)));
            final double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max, min * 10))));
            final Axis a = new Axis(label, lo, hi, true);
            final boolean dense = Math.log10(hi / lo) <= 4;
            for (double decade = lo; decade <= hi * 1.0001; decade *= 10) {
                a.tick(decade, format.apply(decade));
                if (dense && decade * 2 < hi) {
                    a.tick(decade * 2, format.apply(decade * 2));
                }
                if (dense && decade * 5 < hi) {
                    a.tick(decade * 5, format.apply(decade * 5));
                }
            }
            return a;
        }

        /** An axis whose ticks the caller places. */
        public static Axis custom(final String label, final double min, final double max) {
            return new Axis(label, min, max, false);
        }

        public Axis tick(final double value, final String text) {
            ticks.add(new double[] {value});
            tickLabels.add(text);
            return this;
        }

        double position(final double v) {
            if (log) {
                final double c = Math.max(v, min);
                return (Math.log10(c) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            }
            return (v - min) / (max - min);
        }
    }

    private record Series(String label, String color, double[] xs, double[] ys, boolean dashed, boolean points,
        boolean[] filled) {
    }

    private static final int NOTE_CHARS = 150;
    private static final int LEGEND_ROW = 20;

    private final String title;
    private final Axis x;
    private final Axis y;
    private final List<Series> series = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public SvgChart(final String title, final Axis x, final Axis y) {
        this.title = title;
        this.x = x;
        this.y = y;
    }

    public SvgChart line(final String label, final String color, final double[] xs, final double[] ys, final boolean dashed) {
        series.add(new Series(label, color, xs, ys, dashed, false, null));
        return this;
    }

    /** Points; {@code filled[i]} false draws an open circle (e.g. a failed trial). */
    public SvgChart points(final String label, final String color, final double[] xs, final double[] ys, final boolean[] filled) {
        series.add(new Series(label, color, xs, ys, false, true, filled));
        return this;
    }

    /** A line of text under the title; long ones are wrapped at word boundaries. */
    public SvgChart note(final String text) {
        String rest = text;
        while (rest.length() > NOTE_CHARS) {
            int cut = rest.lastIndexOf(' ', NOTE_CHARS);
            if (cut <= 0) {
                cut = NOTE_CHARS;
            }
            notes.add(rest.substring(0, cut));
            rest = "    " + rest.substring(cut).trim();
        }
        notes.add(rest);
        return this;
    }

    /** Draws the panel into {@code svg} in the box at ({@code left}, {@code top}) of the given size. */
    public void render(final StringBuilder svg, final int left, final int top, final int width, final int height) {
        final int padLeft = 96;
        final int padRight = 60;
        final int padTop = 34 + 16 * notes.size() + LEGEND_ROW * legendRows(width - padLeft - padRight) + 6;
        final int padBottom = 52;
        final double px = left + padLeft;
        final double py = top + padTop;
        final double pw = width - padLeft - padRight;
        final double ph = height - padTop - padBottom;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
            left + 10, top + 20, escape(title)));
        for (int i = 0; i < notes.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#333\">%s</text>%n",
                left + 10, top + 38 + 16 * i, escape(notes.get(i))));
        }
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fcfcfc\" stroke=\"#999\"/>%n", px, py, pw, ph));
        // Grid and ticks.
        for (int i = 0; i < x.ticks.size(); i++) {
            final double p = x.position(x.ticks.get(i)[0]);
            if (p < -1e-9 || p > 1 + 1e-9) {
                continue;
            }
            final double gx = px + p * pw;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e2e2e2\"/>%n",
                gx, py, gx, py + ph));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
                gx, py + ph + 16, escape(x.tickLabels.get(i))));
        }
        for (int i = 0; i < y.ticks.size(); i++) {
            final double p = y.position(y.ticks.get(i)[0]);
            if (p < -1e-9 || p > 1 + 1e-9) {
                continue;
            }
            final double gy = py + ph - p * ph;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e2e2e2\"/>%n",
                px, gy, px + pw, gy));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%s</text>%n",
                px - 6, gy + 4, escape(y.tickLabels.get(i))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\">%s</text>%n",
            px + pw / 2, py + ph + 38, escape(x.label)));
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n",
            (double) left + 18, py + ph / 2, (double) left + 18, py + ph / 2, escape(y.label)));
        // Data, clipped to the plot area.
        final String clip = "clip" + left + "_" + top;
        svg.append(String.format(Locale.ROOT,
            "<clipPath id=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>%n", clip, px, py, pw, ph));
        svg.append("<g clip-path=\"url(#").append(clip).append(")\">\n");
        for (final Series s : series) {
            if (s.points) {
                for (int i = 0; i < s.xs.length; i++) {
                    final double cx = px + x.position(s.xs[i]) * pw;
                    final double cy = py + ph - y.position(s.ys[i]) * ph;
                    final boolean fill = s.filled == null || s.filled[i];
                    svg.append(String.format(Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                        cx, cy, fill ? s.color : "white", s.color));
                }
            } else if (s.xs.length > 0) {
                svg.append("<polyline fill=\"none\" stroke=\"").append(s.color).append("\" stroke-width=\"2\"")
                    .append(s.dashed ? " stroke-dasharray=\"6 4\"" : "").append(" points=\"");
                for (int i = 0; i < s.xs.length; i++) {
                    svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", px + x.position(s.xs[i]) * pw,
                        py + ph - y.position(s.ys[i]) * ph));
                }
                svg.append("\"/>\n");
            }
        }
        svg.append("</g>\n");
        // Legend: rows between the notes and the plot, so it never hides data.
        final int rows = legendRows(pw);
        double lx = px;
        double ly = py - 10 - LEGEND_ROW * (rows - 1);
        for (final Series s : series) {
            final double w = legendWidth(s);
            if (lx > px && lx + w > px + pw) {
                lx = px;
                ly += LEGEND_ROW;
            }
            if (s.points) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                    lx + 12, ly - 4, s.color));
            } else {
                svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
                    lx, ly - 4, lx + 24, ly - 4, s.color, s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%s</text>%n",
                lx + 30, ly, escape(s.label)));
            lx += w;
        }
    }

    private static double legendWidth(final Series s) {
        return 30 + 6.8 * s.label.length() + 24;
    }

    private int legendRows(final double plotWidth) {
        int rows = 1;
        double used = 0;
        for (final Series s : series) {
            final double w = legendWidth(s);
            if (used > 0 && used + w > plotWidth) {
                rows++;
                used = 0;
            }
            used += w;
        }
        return rows;
    }

    /** Stacks panels into one SVG document with a heading. */
    public static String document(final String heading, final List<String> subheadings, final int width,
        final int panelHeight, final List<SvgChart> panels) {
        final int headerHeight = 34 + 16 * subheadings.size();
        final int height = headerHeight + panelHeight * panels.size();
        final StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"24\" font-size=\"18\" font-weight=\"bold\">%s</text>%n",
            escape(heading)));
        for (int i = 0; i < subheadings.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"12\" fill=\"#333\">%s</text>%n",
                44 + 16 * i, escape(subheadings.get(i))));
        }
        for (int i = 0; i < panels.size(); i++) {
            panels.get(i).render(svg, 0, headerHeight + i * panelHeight, width, panelHeight);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
