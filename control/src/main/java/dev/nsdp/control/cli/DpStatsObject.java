package dev.nsdp.control.cli;

import dev.nsdp.control.model.Request;
import java.io.PrintStream;
import java.util.Map;

/** {@code nsdp dp [-n NS] stats}: the forwarding counters of a dataplane namespace and of its ports. */
final class DpStatsObject implements DpObject {
    static final String USAGE = """
        Usage: nsdp dp [-n NS] stats
        Packets and bytes received and sent, and frames dropped, by namespace NS and by each of its
        ports, as the worker counts them (values may be a burst old). Needs a daemon that forwards;
        a control plane without a forwarder refuses with UNAVAILABLE.""";

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String summary() {
        return "counters of a namespace and its ports";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final DpOptions options) {
        if (args.helpRequested()) {
            return Help.of(USAGE);
        }
        DpWords.end(args, "stats");
        return new DpRequest("stats", new Request.NamespaceStats(options.namespace()), options, DpStatsObject::print);
    }

    private static final String FORMAT = "%-16s %12s %14s %12s %14s %10s%n";

    private static void print(final Object result, final DpOptions options, final PrintStream out) {
        if (options.json()) {
            out.println(Json.write(result, options.pretty()));
            return;
        }
        final Map<String, Object> stats = DpFormat.map(result);
        out.printf(FORMAT, "NAME", "RX packets", "RX bytes", "TX packets", "TX bytes", "drops");
        line(out, String.valueOf(stats.get("name")), stats);
        for (final Object port : DpFormat.list(stats, "ports")) {
            final Map<String, Object> p = DpFormat.map(port);
            line(out, "  " + p.get("name"), p);
        }
    }

    private static void line(final PrintStream out, final String name, final Map<String, Object> counters) {
        out.printf(FORMAT, name, counters.get("rx_packets"), counters.get("rx_bytes"), counters.get("tx_packets"),
            counters.get("tx_bytes"), counters.get("drops"));
    }
}
