package dev.nsdp.control.api;

import dev.nsdp.control.journal.Journal;
import dev.nsdp.control.journal.JournalEntry;
import dev.nsdp.control.journal.JournalException;
import dev.nsdp.control.model.ControlError;
import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.NamespaceState;
import dev.nsdp.control.model.PortFactory;
import dev.nsdp.control.model.PortKind;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.namespace.NamespaceException;
import dev.nsdp.dataplane.namespace.NamespaceInfo;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.namespace.PortInfo;
import dev.nsdp.dataplane.namespace.StaticMacInfo;
import dev.nsdp.dataplane.namespace.VlanMappingInfo;
import dev.nsdp.dataplane.pipeline.WorkerCounters;
import dev.nsdp.dataplane.port.Port;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control thread: applies requests to the live {@link NamespaceRegistry} one at a time, in the
 * order they arrive, and journals every accepted change before acknowledging it.
 *
 * <h2>Accept, journal, apply</h2>
 * The registry has no dry run, and a change must be in the journal before it is acknowledged, yet a
 * refused change must change nothing (not even the journal). So the service keeps a second,
 * <em>validation</em> registry that mirrors the live one exactly (same calls, same order, a forwarding
 * plane that does nothing, placeholder ports). Each change goes:
 * <ol>
 * <li>{@link AccessPolicy} (administrator-only verbs), then, for a port, opening it through the
 *     {@link PortFactory} (a link that cannot be opened is refused here);</li>
 * <li>applied to the validation registry: a refusal ends here, having changed nothing anywhere (an
 *     import refused part-way is undone in the validation registry);</li>
 * <li>appended to the {@link Journal} (durable when append returns);</li>
 * <li>applied to the live registry, which cannot refuse what its mirror accepted, and which programs
 *     the workers through their lock-free command queues: forwarding never waits for it;</li>
 * <li>acknowledged, with its journal sequence number.</li>
 * </ol>
 * A kill between 3 and 5 leaves a change that is journaled but was never acknowledged; replay applies
 * it whole. Each change is one journal entry and one registry call (an import is one entry whose
 * replay redoes all of it), so nothing is ever half-applied after a restart.
 *
 * <p>If an append fails (disk full, I/O error), the validation registry is one change ahead of the
 * live one; the service then refuses every further change with JOURNAL_FAILED and keeps answering
 * reads, until it is restarted (replay rebuilds both registries from the journal). The same holds if
 * the live registry ever refused what the mirror accepted (a bug: INTERNAL).
 *
 * <h2>Replay</h2>
 * {@link #start} replays the journal through the same path (without the journal append and without
 * the access policy: the entry was authorised when it was accepted; the model's owner checks run
 * again with the recorded caller and decide the same). A port whose link cannot be opened at replay
 * is attached as a placeholder (down, carries nothing) so later entries that name it still apply;
 * {@code status} counts it under "missingPorts".
 */
public final class ControlService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlService.class.getName());
    /** Requests waiting for the control thread; more are refused with UNAVAILABLE. */
    public static final int MAX_QUEUED_REQUESTS = 65_536;

    private final NamespaceRegistry live;
    private final RegistryWriter liveWriter;
    private final RegistryWriter mirrorWriter;
    private final PortFactory portFactory;
    private final Journal journal;
    private final ThreadPoolExecutor controlThread;
    /** Spec of the port at each port index of the live registry (null where none is attached). */
    private final PortSpec[] specs = new PortSpec[ForwardingPlane.MAX_PORTS];
    private final boolean[] missing = new boolean[ForwardingPlane.MAX_PORTS];
    private volatile Thread controlThreadRef;
    /** Until {@link #start} has replayed the journal, changes are refused (they would be appended out of order). */
    private static final ControlError STARTING = ControlError.of(ErrorKind.UNAVAILABLE, "the control service is still starting");
    private ControlError refuseChanges = STARTING;
    private long replayedEntries;
    private volatile List<WorkerCounters> counters;
    private long skippedOnReplay;

    /**
     * A service over {@code registry} (which from now on must be used only through this service or on
     * its control thread, {@link #call}). {@code journal} may be null: changes are then not durable
     * (tests, benchmarks).
     */
    public ControlService(final NamespaceRegistry registry, final PortFactory portFactory, final Journal journal) {
        this.live = registry;
        this.liveWriter = new RegistryWriter(registry);
        this.mirrorWriter = new RegistryWriter(new NamespaceRegistry(new NoForwardingPlane()));
        this.portFactory = portFactory;
        this.journal = journal;
        this.controlThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED_REQUESTS),
            runnable -> {
                final Thread thread = new Thread(runnable, "nsdp-control");
                thread.setDaemon(true);
                controlThreadRef = thread;
                return thread;
            });
        if (!registry.namespaces().equals(mirrorWriter.registry().namespaces()) || registry.portCount() != 0) {
            throw new IllegalArgumentException("the control service needs a fresh registry (only root, no ports); "
                + "every change must come through the service so it can be journaled");
        }
    }

    /**
     * Where {@code namespace.stats} reads the forwarding counters: the workers', each written only by
     * its worker (a reader may see values a burst old), summed. Without them the verb is refused as
     * UNAVAILABLE.
     */
    public ControlService counters(final WorkerCounters... sources) {
        this.counters = sources == null ? List.of() : List.of(sources); // null: no counters (the verb is refused)
        return this;
    }

    private static long sum(final List<WorkerCounters> sources, final java.util.function.ToLongFunction<WorkerCounters> counter) {
        long total = 0;
        for (final WorkerCounters source : sources) {
            total += counter.applyAsLong(source);
        }
        return total;
    }

    /** Replays the journal (if any) on the control thread; returns the number of entries replayed. */
    public long start() {
        return call(() -> {
            if (journal != null) {
                journal.replay(this::replayEntry);
            }
            if (refuseChanges == STARTING) {
                refuseChanges = null;
            }
            return replayedEntries;
        });
    }

    /** Entries replayed by {@link #start}; of those, how many were refused again (and so skipped, whole). */
    public long replayedEntries() {
        return replayedEntries;
    }

    public long skippedOnReplay() {
        return skippedOnReplay;
    }

    /**
     * One round of the link supervisor: every kernel port whose link was missing (a placeholder since
     * replay) or has gone stale (its link deleted and made again) is opened again from its spec and put
     * in place of the old one, keeping its name, namespace, admin state, VLANs and static MACs. Nothing
     * is journaled: the configuration does not change, only the live port. Runs on the control thread
     * (the daemon calls it every second); returns how many ports were reopened.
     */
    public int reopenPorts() {
        return call(() -> {
            int reopened = 0;
            for (int i = 0; i < specs.length; i++) {
                final PortSpec spec = specs[i];
                if (spec == null || spec.kind() == PortKind.MEMORY) {
                    continue;
                }
                final Port current = live.livePort(i);
                if (current == null || !(missing[i] || portFactory.isStale(current, spec))) {
                    continue;
                }
                final Port fresh;
                try {
                    fresh = portFactory.open(spec);
                } catch (final ControlException e) {
                    continue; // still not there: try again next round
                }
                release(live.replacePort(i, fresh));
                missing[i] = false;
                reopened++;
                LOG.info("port " + spec + " reopened (its link " + (current instanceof PlaceholderPort ? "appeared" : "came back") + ")");
            }
            return reopened;
        });
    }

    /** Queues a request for the control thread. The future completes with the reply (never exceptionally). */
    public CompletableFuture<Reply> submit(final Caller caller, final Request request) {
        return submitTask(() -> handle(caller, request));
    }

    /** Queues an already-made reply behind the requests before it, so a connection's replies stay in order. */
    public CompletableFuture<Reply> submitReply(final Reply reply) {
        return submitTask(() -> reply);
    }

    private CompletableFuture<Reply> submitTask(final Callable<Reply> task) {
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        try {
            controlThread.execute(() -> {
                try {
                    future.complete(task.call());
                } catch (final Throwable t) {
                    LOG.log(Level.SEVERE, "control request failed", t);
                    future.complete(Reply.failure(ControlError.of(ErrorKind.INTERNAL, "internal error: " + t)));
                }
            });
        } catch (final RejectedExecutionException e) {
            future.complete(Reply.failure(ControlError.of(ErrorKind.UNAVAILABLE, controlThread.isShutdown()
                ? "the control service is shutting down" : "too many requests queued (" + MAX_QUEUED_REQUESTS + "); retry")));
        }
        return future;
    }

    /** Runs {@code task} on the control thread (where the registry may be used) and waits for it. */
    public <T> T call(final Callable<T> task) {
        if (Thread.currentThread() == controlThreadRef) {
            try {
                return task.call();
            } catch (final RuntimeException e) {
                throw e;
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return controlThread.submit(task).get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the control thread", e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Handles one request on the control thread: the whole path described in the class comment. */
    Reply handle(final Caller caller, final Request request) {
        try {
            if (!request.isChange()) {
                return Reply.success(query(caller, (Request.Query) request), 0);
            }
            AccessPolicy.check(caller, request);
            if (refuseChanges != null) {
                return Reply.failure(refuseChanges);
            }
            return change(caller, request, true);
        } catch (final NamespaceException e) {
            return Reply.failure(ControlError.of(e));
        } catch (final ControlException e) {
            return Reply.failure(e.error());
        }
    }

    private Reply change(final Caller caller, final Request request, final boolean journaled) {
        // 1. Open the ports the change attaches (and check no link is attached twice).
        final List<PortSpec> newSpecs = specsAttachedBy(request);
        final List<Port> opened = new ArrayList<>(newSpecs.size());
        final List<Boolean> openedMissing = new ArrayList<>(newSpecs.size());
        try {
            for (final PortSpec spec : newSpecs) {
                checkNotAttached(spec, newSpecs);
                try {
                    opened.add(portFactory.open(spec));
                    openedMissing.add(false);
                } catch (final ControlException e) {
                    if (journaled) {
                        throw e;
                    }
                    LOG.warning("replay: port " + spec + " cannot be opened (" + e.getMessage()
                        + "); it stays configured as a placeholder, down");
                    opened.add(new PlaceholderPort(spec));
                    openedMissing.add(true);
                }
            }
            // 2. Validate on the mirror.
            mirrorWriter.apply(caller, request, PlaceholderPort::new);
        } catch (final RuntimeException e) {
            for (final Port port : opened) {
                release(port);
            }
            throw e;
        }

        // 3. Journal.
        long sequence = 0;
        if (journaled && journal != null) {
            try {
                sequence = journal.append(caller, request, System.currentTimeMillis());
            } catch (final JournalException e) {
                LOG.log(Level.SEVERE, "journal append failed; refusing all changes until restart", e);
                refuseChanges = ControlError.of(ErrorKind.JOURNAL_FAILED, "the journal cannot be written (" + e.getMessage()
                    + "); nsdp refuses changes until it is restarted. This change was not applied.");
                for (final Port port : opened) {
                    release(port);
                }
                return Reply.failure(refuseChanges);
            }
        }

        // 4. Apply to the live registry, which programs the workers.
        final int[] next = {0};
        final RegistryWriter.Applied applied;
        try {
            applied = liveWriter.apply(caller, request, spec -> opened.get(next[0]++));
        } catch (final RuntimeException e) {
            LOG.log(Level.SEVERE, "the live registry refused a change its mirror accepted: " + request, e);
            refuseChanges = ControlError.of(ErrorKind.INTERNAL, "the control state diverged (" + e.getMessage()
                + "); nsdp refuses changes until it is restarted, which replays the journal");
            return Reply.failure(refuseChanges);
        }
        recordSpecs(request, applied, opened, openedMissing);
        if (applied.detached() != null) {
            release(applied.detached());
        }
        return Reply.success(resultOf(request, applied), sequence);
    }

    private void replayEntry(final JournalEntry entry) {
        replayedEntries++;
        try {
            change(entry.caller(), entry.request(), false);
        } catch (final NamespaceException | ControlException e) {
            // Deterministic: what was accepted live is accepted again. A refusal here means the journal
            // holds an entry this version of the model refuses; it is skipped whole, never half-applied.
            skippedOnReplay++;
            LOG.warning("replay: entry " + entry.sequence() + " (" + entry.request().verb() + ") refused again and skipped: "
                + e.getMessage());
        }
    }

    private static List<PortSpec> specsAttachedBy(final Request request) {
        return switch (request) {
            case Request.AddPort r -> List.of(r.spec());
            case Request.ImportNamespace r -> r.state().ports().stream().map(NamespaceState.PortState::spec).toList();
            default -> List.of();
        };
    }

    private void checkNotAttached(final PortSpec spec, final List<PortSpec> all) {
        for (int i = 0; i < specs.length; i++) {
            if (spec.equals(specs[i])) {
                final PortInfo where = live.portByIndex(i).orElseThrow();
                throw new ControlException(ErrorKind.EXISTS, "link " + spec + " is already attached as port '" + where.name()
                    + "' in namespace '" + where.namespace() + "'; delete or move that port instead");
            }
        }
        if (all.indexOf(spec) != all.lastIndexOf(spec)) {
            throw new ControlException(ErrorKind.EXISTS, "link " + spec + " is named twice in the request");
        }
    }

    private void recordSpecs(final Request request, final RegistryWriter.Applied applied, final List<Port> opened,
        final List<Boolean> openedMissing) {
        switch (request) {
            case Request.AddPort r -> {
                specs[applied.attached().portIndex()] = r.spec();
                missing[applied.attached().portIndex()] = openedMissing.get(0);
            }
            case Request.ImportNamespace r -> {
                for (int i = 0; i < r.state().ports().size(); i++) {
                    final PortInfo info = live.port(r.state().name(), r.state().ports().get(i).name());
                    specs[info.portIndex()] = r.state().ports().get(i).spec();
                    missing[info.portIndex()] = openedMissing.get(i);
                }
            }
            case Request.DeletePort r -> {
                for (int i = 0; i < specs.length; i++) {
                    if (specs[i] != null && live.portByIndex(i).isEmpty()) {
                        specs[i] = null;
                        missing[i] = false;
                    }
                }
            }
            default -> {
            }
        }
    }

    private Object resultOf(final Request request, final RegistryWriter.Applied applied) {
        if (applied.attached() != null) {
            return portJson(applied.attached());
        }
        return applied.result() == null ? Map.of() : applied.result();
    }

    private void release(final Port port) {
        if (port instanceof PlaceholderPort) {
            return;
        }
        try {
            portFactory.release(port);
        } catch (final RuntimeException e) {
            LOG.log(Level.WARNING, "releasing port " + port + " failed", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reads

    private Object query(final Caller caller, final Request.Query request) {
        return switch (request) {
            case Request.ListNamespaces r -> {
                final List<Object> list = new ArrayList<>();
                for (final NamespaceInfo info : live.namespaces()) {
                    if (caller.privileged() || info.owner().equals(caller.principal())) {
                        list.add(JsonViews.namespace(info));
                    }
                }
                yield Map.of("namespaces", list);
            }
            case Request.ShowNamespace r -> {
                final NamespaceInfo info = visible(caller, r.name());
                final Map<String, Object> json = JsonViews.namespace(info);
                json.put("devices", devices(info.name()));
                json.put("vlans", vlans(info.name()));
                json.put("macs", macs(info.name()));
                yield json;
            }
            case Request.ExportNamespace r -> export(visible(caller, r.name())).toJson();
            case Request.ListPorts r -> Map.of("devices", devices(visible(caller, r.namespace()).name()));
            case Request.ListVlans r -> Map.of("vlans", vlans(visible(caller, r.namespace()).name()));
            case Request.ListStaticMacs r -> Map.of("macs", macs(visible(caller, r.namespace()).name()));
            case Request.NamespaceStats r -> stats(visible(caller, r.name()));
            case Request.Status r -> status(caller);
        };
    }

    /** The namespace, if the caller may see it: an administrator sees all, a user the ones it owns. */
    private NamespaceInfo visible(final Caller caller, final String name) {
        final NamespaceInfo info = live.namespace(name);
        if (!caller.privileged() && !info.owner().equals(caller.principal())) {
            throw new ControlException(ErrorKind.PERMISSION_DENIED, caller + " may not look into namespace '" + name
                + "' (owned by '" + info.owner() + "'); only its owner or an administrator may");
        }
        return info;
    }

    private List<Object> devices(final String namespace) {
        final List<Object> list = new ArrayList<>();
        for (final PortInfo port : live.devices(namespace)) {
            list.add(portJson(port));
        }
        return list;
    }

    private Map<String, Object> portJson(final PortInfo port) {
        final int index = port.portIndex();
        return JsonViews.port(port, index >= 0 ? specs[index] : null, index >= 0 && missing[index]);
    }

    private List<Object> vlans(final String namespace) {
        final List<Object> list = new ArrayList<>();
        for (final VlanMappingInfo vlan : live.vlanMappings(namespace)) {
            list.add(JsonViews.vlan(vlan));
        }
        return list;
    }

    private List<Object> macs(final String namespace) {
        final List<Object> list = new ArrayList<>();
        for (final StaticMacInfo mac : live.staticMacs(namespace)) {
            list.add(JsonViews.mac(mac));
        }
        return list;
    }

    /** The whole state of one namespace, as namespace.import takes it. */
    NamespaceState export(final NamespaceInfo info) {
        final List<NamespaceState.PortState> ports = new ArrayList<>();
        for (final PortInfo port : live.ports(info.name())) {
            ports.add(new NamespaceState.PortState(port.name(), specs[port.portIndex()], port.adminUp()));
        }
        final List<NamespaceState.VlanState> vlans = new ArrayList<>();
        for (final VlanMappingInfo vlan : live.vlanMappings(info.name())) {
            vlans.add(new NamespaceState.VlanState(vlan.port(), vlan.vlanId(), vlan.targetNamespace()));
        }
        final List<NamespaceState.MacState> macs = new ArrayList<>();
        for (final StaticMacInfo mac : live.staticMacs(info.name())) {
            macs.add(new NamespaceState.MacState(mac.mac(), mac.port()));
        }
        return new NamespaceState(info.name(), info.level(), info.parent(), info.owner(), info.settings(), info.loopbackUp(),
            ports, vlans, macs);
    }

    /** {@code {"name":"red","rx_packets":..,"rx_bytes":..,"tx_packets":..,"tx_bytes":..,"drops":..,"ports":[{"name":..,same keys}]}} */
    private Map<String, Object> stats(final NamespaceInfo info) {
        final List<WorkerCounters> source = counters;
        if (source == null || source.isEmpty()) {
            throw new ControlException(ErrorKind.UNAVAILABLE, "this control plane has no forwarding counters"
                + " (it runs without a forwarder: memory ports only)");
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", info.name());
        final int id = info.id();
        json.put("rx_packets", sum(source, c -> c.namespaceRxPackets(id)));
        json.put("rx_bytes", sum(source, c -> c.namespaceRxBytes(id)));
        json.put("tx_packets", sum(source, c -> c.namespaceTxPackets(id)));
        json.put("tx_bytes", sum(source, c -> c.namespaceTxBytes(id)));
        json.put("drops", sum(source, c -> c.namespaceDrops(id)));
        final List<Object> ports = new ArrayList<>();
        for (final PortInfo port : live.devices(info.name())) {
            if (port.portIndex() < 0) {
                continue;
            }
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", port.name());
            final int index = port.portIndex();
            p.put("rx_packets", sum(source, c -> c.portRxPackets(index)));
            p.put("rx_bytes", sum(source, c -> c.portRxBytes(index)));
            p.put("tx_packets", sum(source, c -> c.portTxPackets(index)));
            p.put("tx_bytes", sum(source, c -> c.portTxBytes(index)));
            p.put("drops", sum(source, c -> c.portDrops(index)));
            ports.add(p);
        }
        json.put("ports", ports);
        return json;
    }

    private Map<String, Object> status(final Caller caller) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("caller", caller.principal());
        json.put("admin", caller.privileged());
        json.put("acceptingChanges", refuseChanges == null);
        if (refuseChanges != null) {
            json.put("reason", refuseChanges.message());
        }
        if (journal != null) {
            final Map<String, Object> j = new LinkedHashMap<>();
            j.put("directory", journal.directory().toString());
            j.put("format", (long) journal.format());
            j.put("lastSeq", journal.lastSequence());
            j.put("replayed", replayedEntries);
            j.put("skippedOnReplay", skippedOnReplay);
            json.put("journal", j);
        }
        json.put("namespaces", (long) live.namespaceCount());
        json.put("ports", (long) live.portCount());
        long missingPorts = 0;
        for (final boolean m : missing) {
            missingPorts += m ? 1 : 0;
        }
        json.put("missingPorts", missingPorts);
        return json;
    }

    /**
     * A canonical, comparable picture of the whole live configuration: every namespace with its
     * settings, devices (with specs), VLAN mappings and static MACs, in registry order. Two services
     * with equal snapshots are in the same state (tests compare the state before a kill and after replay).
     */
    public Map<String, Object> snapshot() {
        return call(() -> {
            final Map<String, Object> all = new LinkedHashMap<>();
            for (final NamespaceInfo info : live.namespaces()) {
                final Map<String, Object> json = JsonViews.namespace(info);
                json.put("devices", devices(info.name()));
                json.put("vlans", vlans(info.name()));
                json.put("macs", macs(info.name()));
                all.put(info.name(), json);
            }
            return all;
        });
    }

    /** Stops the control thread after the requests already queued. Does not close the journal or the registry. */
    @Override
    public void close() {
        controlThread.shutdown();
        try {
            if (!controlThread.awaitTermination(10, TimeUnit.SECONDS)) {
                controlThread.shutdownNow();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            controlThread.shutdownNow();
        }
    }

    /** The validation registry's forwarding plane: it forwards nothing. */
    private static final class NoForwardingPlane implements ForwardingPlane {
        @Override
        public void namespaceCreated(final int namespaceId, final dev.nsdp.dataplane.namespace.Level level, final NamespaceSettings settings) {
        }

        @Override
        public void namespaceDeleted(final int namespaceId) {
        }

        @Override
        public void settingsChanged(final int namespaceId, final NamespaceSettings settings) {
        }

        @Override
        public void portAttached(final int portIndex, final Port port, final int namespaceId, final boolean adminUp) {
        }

        @Override
        public void portDetached(final int portIndex) {
        }

        @Override
        public void portMoved(final int portIndex, final int namespaceId) {
        }

        @Override
        public void portAdminState(final int portIndex, final boolean up) {
        }

        @Override
        public void vlanMapped(final int portIndex, final int vlanId, final int namespaceId) {
        }

        @Override
        public void staticMacAdded(final int namespaceId, final long mac, final int portIndex) {
        }

        @Override
        public void staticMacRemoved(final int namespaceId, final long mac) {
        }
    }
}
