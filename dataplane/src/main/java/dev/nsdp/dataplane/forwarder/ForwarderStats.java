package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.NamespaceInfo;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.pipeline.WorkerCounters;
import dev.nsdp.dataplane.port.PortCounters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of every counter of a running forwarder: the worker's runtime (busy and idle polls,
 * busy nanoseconds: the DUT's cost per packet), each configured port (worker counters plus the
 * port's own kernel-side drops, summed over every incarnation of the port, and its link history),
 * each namespace, and drops by reason. Immutable; taken on the control thread, read anywhere.
 *
 * <p>Rendered three ways: {@link #statusLine} (rates since the previous snapshot),
 * {@link #report} (everything, for SIGUSR1 and exit), {@link #toJson} (the stats file).
 */
public record ForwarderStats(
    long nanoTime,
    Instant at,
    long uptimeMillis,
    Worker worker,
    List<PortStats> ports,
    List<NamespaceStats> namespaces,
    Map<String, Long> dropsByReason) {

    /** The worker's runtime counters (VPP's `show runtime`). */
    public record Worker(long busyPolls, long idlePolls, long idleWaits, long busyNanos, long vectors, long vectorPackets,
                         long commandsApplied, long macsAged) {
        /** Busy nanoseconds per received packet, over the worker's life. */
        public double busyNanosPerPacket() {
            return vectorPackets == 0 ? 0 : (double) busyNanos / vectorPackets;
        }
    }

    /**
     * One configured port.
     *
     * @param state      up, down (attached, link down) or gone (detached until its link returns)
     * @param drops      frames the worker dropped that arrived on or were meant for this port
     * @param portDrops  frames the port itself (or the kernel, for its ring) dropped: ring overflow, too long ...
     * @param downEvents times the link went from up to down or away
     * @param reopens    times the port was reopened on a returned or re-created link
     */
    public record PortStats(String namespace, String name, String kind, String link, String kernelNamespace, String state,
                            int ifindex, long rxPackets, long rxBytes, long txPackets, long txBytes, long drops,
                            long portDrops, long downEvents, long reopens, String lastError) {
    }

    /** One namespace's traffic, as the worker counts it. */
    public record NamespaceStats(String name, int id, String level, long rxPackets, long txPackets, long drops,
                                 long floods) {
    }

    static ForwarderStats take(final Dataplane dataplane, final List<SupervisedPort> ports, final long startNanos) {
        final long now = System.nanoTime();
        final WorkerCounters c = dataplane.worker().counters();
        final Worker worker = new Worker(c.busyPolls, c.idlePolls, c.idleWaits, c.busyNanos, c.vectors, c.vectorPackets,
            c.commandsApplied, c.macsAged);
        final NamespaceRegistry registry = dataplane.namespaces();
        final long[] dropsByReason = new long[DropReason.count()];
        for (final DropReason reason : DropReason.values()) {
            dropsByReason[reason.ordinal()] = c.drops(reason);
        }
        final List<PortStats> portStats = new ArrayList<>(ports.size());
        for (final SupervisedPort p : ports) {
            long rx = p.carriedRxPackets;
            long rxBytes = p.carriedRxBytes;
            long tx = p.carriedTxPackets;
            long txBytes = p.carriedTxBytes;
            long drops = p.carriedDrops;
            long portDrops = p.carriedPortDrops;
            for (final DropReason reason : DropReason.values()) {
                dropsByReason[reason.ordinal()] += p.carriedPortDropsByReason[reason.ordinal()];
            }
            if (p.port != null) {
                final int index = registry.port(p.spec.namespace(), p.spec.name()).portIndex();
                rx += c.portRxPackets(index);
                rxBytes += c.portRxBytes(index);
                tx += c.portTxPackets(index);
                txBytes += c.portTxBytes(index);
                drops += c.portDrops(index);
                final PortCounters own = SupervisedPort.countersOf(p.port);
                if (own != null) {
                    portDrops += own.totalDrops();
                    for (final DropReason reason : DropReason.values()) {
                        dropsByReason[reason.ordinal()] += own.drops(reason);
                    }
                }
            }
            portStats.add(new PortStats(p.spec.namespace(), p.spec.name(), p.spec.kind().keyword(), p.spec.link(),
                p.spec.kernelNamespace().displayName(), p.state.label(), SupervisedPort.ifindexOf(p.port), rx, rxBytes, tx,
                txBytes, drops, portDrops, p.downEvents, p.reopens, p.lastError));
        }
        final List<NamespaceStats> namespaceStats = new ArrayList<>();
        for (final NamespaceInfo ns : registry.namespaces()) {
            final int id = ns.id();
            namespaceStats.add(new NamespaceStats(ns.name(), id, ns.level().name().toLowerCase(Locale.ROOT),
                c.namespaceRxPackets(id), c.namespaceTxPackets(id), c.namespaceDrops(id), c.namespaceFloods(id)));
        }
        final Map<String, Long> drops = new LinkedHashMap<>();
        for (final DropReason reason : DropReason.values()) {
            if (reason != DropReason.NONE && dropsByReason[reason.ordinal()] != 0) {
                drops.put(reason.counterName(), dropsByReason[reason.ordinal()]);
            }
        }
        return new ForwarderStats(now, Instant.now(), (now - startNanos) / 1_000_000L, worker, List.copyOf(portStats),
            List.copyOf(namespaceStats), Map.copyOf(drops));
    }

    public long rxPackets() {
        return ports.stream().mapToLong(PortStats::rxPackets).sum();
    }

    public long txPackets() {
        return ports.stream().mapToLong(PortStats::txPackets).sum();
    }

    /** Every drop: the worker's (by reason) and the ports' own. */
    public long drops() {
        return dropsByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long downEvents() {
        return ports.stream().mapToLong(PortStats::downEvents).sum();
    }

    public PortStats port(final String namespace, final String name) {
        for (final PortStats p : ports) {
            if (p.namespace().equals(namespace) && p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no port " + namespace + "/" + name);
    }

    public NamespaceStats namespace(final String name) {
        for (final NamespaceStats n : namespaces) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no namespace " + name);
    }

    private long portsIn(final String state) {
        return ports.stream().filter(p -> p.state().equals(state)).count();
    }

    /** One line: rates since {@code previous}, port states, worker load. */
    public String statusLine(final ForwarderStats previous) {
        final double seconds = Math.max(1e-9, (nanoTime - previous.nanoTime) / 1e9);
        final long busyNanos = worker.busyNanos - previous.worker.busyNanos;
        final long packets = worker.vectorPackets - previous.worker.vectorPackets;
        return String.format(Locale.ROOT,
            "nsdp forward: rx %d pps, tx %d pps, drops %d pps | ports %d up, %d down, %d gone | worker busy %.1f%%, %s",
            Math.round((rxPackets() - previous.rxPackets()) / seconds),
            Math.round((txPackets() - previous.txPackets()) / seconds),
            Math.round((drops() - previous.drops()) / seconds),
            portsIn("up"), portsIn("down"), portsIn("gone"),
            100.0 * busyNanos / (seconds * 1e9),
            packets == 0 ? "idle" : String.format(Locale.ROOT, "%.0f ns/packet", (double) busyNanos / packets));
    }

    /** Every counter, for a person: ports, namespaces, drops by reason, worker runtime. */
    public String report() {
        final StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "nsdp forward counters at %s (up %.1f s)%n", at, uptimeMillis / 1000.0));
        s.append(String.format(Locale.ROOT, "  %-24s %-9s %-5s %12s %12s %10s %10s %6s %7s%n",
            "port", "kind", "state", "rx", "tx", "drops", "port-drops", "downs", "reopens"));
        for (final PortStats p : ports) {
            s.append(String.format(Locale.ROOT, "  %-24s %-9s %-5s %12d %12d %10d %10d %6d %7d%n",
                p.namespace() + "/" + p.name(), p.kind(), p.state(), p.rxPackets(), p.txPackets(), p.drops(), p.portDrops(),
                p.downEvents(), p.reopens()));
        }
        s.append(String.format(Locale.ROOT, "  %-24s %-5s %12s %12s %10s %10s%n", "namespace", "level", "rx", "tx", "drops",
            "floods"));
        for (final NamespaceStats n : namespaces) {
            s.append(String.format(Locale.ROOT, "  %-24s %-5s %12d %12d %10d %10d%n", n.name(), n.level(), n.rxPackets(),
                n.txPackets(), n.drops(), n.floods()));
        }
        if (!dropsByReason.isEmpty()) {
            s.append("  drops by reason:");
            dropsByReason.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(' ').append(e.getKey()).append('=').append(e.getValue()));
            s.append(System.lineSeparator());
        }
        s.append(String.format(Locale.ROOT,
            "  worker: busy polls %d, idle polls %d, idle waits %d, busy %.3f s, vectors %d, packets %d, %.0f ns/packet%n",
            worker.busyPolls(), worker.idlePolls(), worker.idleWaits(), worker.busyNanos() / 1e9, worker.vectors(),
            worker.vectorPackets(), worker.busyNanosPerPacket()));
        return s.toString();
    }

    /** The stats file: one JSON object. */
    public String toJson() {
        final StringBuilder s = new StringBuilder(1024);
        s.append("{\"at\":").append(quote(at.toString()))
            .append(",\"uptime_ms\":").append(uptimeMillis)
            .append(",\"rx_packets\":").append(rxPackets())
            .append(",\"tx_packets\":").append(txPackets())
            .append(",\"drops\":").append(drops())
            .append(",\"worker\":{\"busy_polls\":").append(worker.busyPolls())
            .append(",\"idle_polls\":").append(worker.idlePolls())
            .append(",\"idle_waits\":").append(worker.idleWaits())
            .append(",\"busy_ns\":").append(worker.busyNanos())
            .append(",\"vectors\":").append(worker.vectors())
            .append(",\"vector_packets\":").append(worker.vectorPackets())
            .append(",\"commands_applied\":").append(worker.commandsApplied())
            .append(",\"macs_aged\":").append(worker.macsAged())
            .append(String.format(Locale.ROOT, ",\"busy_ns_per_packet\":%.1f", worker.busyNanosPerPacket()))
            .append("},\"ports\":[");
        for (int i = 0; i < ports.size(); i++) {
            final PortStats p = ports.get(i);
            s.append(i == 0 ? "" : ",")
                .append("{\"namespace\":").append(quote(p.namespace()))
                .append(",\"name\":").append(quote(p.name()))
                .append(",\"kind\":").append(quote(p.kind()))
                .append(",\"link\":").append(quote(p.link()))
                .append(",\"kernel_namespace\":").append(quote(p.kernelNamespace()))
                .append(",\"state\":").append(quote(p.state()))
                .append(",\"ifindex\":").append(p.ifindex())
                .append(",\"rx_packets\":").append(p.rxPackets())
                .append(",\"rx_bytes\":").append(p.rxBytes())
                .append(",\"tx_packets\":").append(p.txPackets())
                .append(",\"tx_bytes\":").append(p.txBytes())
                .append(",\"drops\":").append(p.drops())
                .append(",\"port_drops\":").append(p.portDrops())
                .append(",\"down_events\":").append(p.downEvents())
                .append(",\"reopens\":").append(p.reopens())
                .append(",\"last_error\":").append(p.lastError() == null ? "null" : quote(p.lastError()))
                .append('}');
        }
        s.append("],\"namespaces\":[");
        for (int i = 0; i < namespaces.size(); i++) {
            final NamespaceStats n = namespaces.get(i);
            s.append(i == 0 ? "" : ",")
                .append("{\"name\":").append(quote(n.name()))
                .append(",\"id\":").append(n.id())
                .append(",\"level\":").append(quote(n.level()))
                .append(",\"rx_packets\":").append(n.rxPackets())
                .append(",\"tx_packets\":").append(n.txPackets())
                .append(",\"drops\":").append(n.drops())
                .append(",\"floods\":").append(n.floods())
                .append('}');
        }
        s.append("],\"drops_by_reason\":{");
        final List<Map.Entry<String, Long>> reasons = dropsByReason.entrySet().stream()
            .sorted(Map.Entry.comparingByKey()).toList();
        for (int i = 0; i < reasons.size(); i++) {
            s.append(i == 0 ? "" : ",").append(quote(reasons.get(i).getKey())).append(':').append(reasons.get(i).getValue());
        }
        return s.append("}}\n").toString();
    }

    private static String quote(final String text) {
        final StringBuilder s = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
