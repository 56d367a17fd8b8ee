package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.dataplane.table.MacTable;
import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.nativ.PollFd;
import java.lang.foreign.Arena;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A forwarding worker: one thread's whole job (an Agrona {@link Agent}, run by an AgentRunner or
 * driven directly by tests and benchmarks). Each {@link #doWork()} applies pending configuration
 * commands, polls every attached port for a burst, switches the burst, flushes one transmit burst
 * per port, and does a slice of MAC aging. The worker is the single writer of its forwarding
 * state, MAC table and counters; everything else reaches it through {@link WorkerProxy}.
 */
public final class Worker implements Agent {
    /** Commands applied per doWork at most, so a flood of configuration never starves forwarding. */
    static final int COMMAND_LIMIT = 64;
    /** MAC aging runs every this many milliseconds, over this many table slots. */
    static final int AGING_PERIOD_MS = 100;
    static final int AGING_SLOTS_PER_STEP = 8192;

    private final String name;
    private final PacketPool pool;
    private final BufferCache cache;
    private final NanoClock clock;
    private final long epochNanos;
    private final ForwardingState state = new ForwardingState();
    private final WorkerCounters counters = new WorkerCounters();
    private final MacTable macs;
    private final TransmitQueues tx;
    private final L2Switch l2;
    private final PacketVector rx = new PacketVector();
    private final ManyToOneConcurrentArrayQueue<WorkerCommand> commands;
    private final Consumer<WorkerCommand> applyCommand = this::apply;
    private int lastAgingMs;
    /** Set by commands that change port membership; the flood lists are rebuilt once per batch. */
    private boolean floodListsStale;
    /** The descriptors an idle worker blocks on; rebuilt with the flood lists. */
    private final Arena pollArena = Arena.ofShared();
    private final PollFd pollSet = new PollFd(pollArena, ForwardingPlane.MAX_PORTS);
    /** False while any attached port has no descriptor (memory ports): then idle waits park instead. */
    private boolean allPortsPollable;

    public Worker(final String name, final PacketPool pool, final int macTableEntries) {
        this(name, pool, macTableEntries, SystemNanoClock.INSTANCE);
    }

    public Worker(final String name, final PacketPool pool, final int macTableEntries, final NanoClock clock) {
        this.name = name;
        this.pool = pool;
        this.cache = pool.newCache(1024);
        this.clock = clock;
        this.epochNanos = clock.nanoTime();
        this.macs = new MacTable(macTableEntries);
        this.tx = new TransmitQueues(state.ports, counters, cache);
        this.l2 = new L2Switch(state, macs, tx, counters, cache);
        this.commands = new ManyToOneConcurrentArrayQueue<>(4096);
    }

    @Override
    public String roleName() {
        return name;
    }

    @Override
    public int doWork() {
        final int applied = commands.drain(applyCommand, COMMAND_LIMIT);
        if (floodListsStale) {
            rebuildFloodLists();
        }
        final long start = clock.nanoTime();
        final int nowMs = (int) ((start - epochNanos) / 1_000_000L);

        int received = 0;
        state.refreshPortStates();
        final int[] active = state.activePorts;
        for (final int portIndex : active) {
            final Port port = state.ports[portIndex];
            if (!port.isLinkUp()) {
                continue;
            }
            rx.clear();
            final int n = port.receive(rx, portIndex, cache);
            if (n == 0) {
                continue;
            }
            received += n;
            countReceived(portIndex, n);
            if (!state.portAdminUp[portIndex]) {
                dropAll(portIndex, DropReason.PORT_DOWN);
                continue;
            }
            l2.process(rx, nowMs);
        }
        tx.flushAll();

        if (received > 0) {
            counters.busyPolls++;
            counters.vectors++;
            counters.vectorPackets += received;
            counters.busyNanos += clock.nanoTime() - start;
        } else {
            counters.idlePolls++;
        }
        if (nowMs - lastAgingMs >= AGING_PERIOD_MS) {
            lastAgingMs = nowMs;
            counters.macsAged += macs.age(nowMs, AGING_SLOTS_PER_STEP);
        }
        return applied + received;
    }

    private void countReceived(final int portIndex, final int n) {
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += Descriptor.length(rx.descriptor(i));
        }
        final int line = portIndex * WorkerCounters.STRIDE;
        counters.port[line + WorkerCounters.RX_PACKETS] += n;
        counters.port[line + WorkerCounters.RX_BYTES] += bytes;
    }

    private void dropAll(final int portIndex, final DropReason reason) {
        final int n = rx.count();
        counters.drops[reason.ordinal()] += n;
        counters.port[portIndex * WorkerCounters.STRIDE + WorkerCounters.DROPS] += n;
        rx.freeAll(cache);
    }

    @Override
    public void onClose() {
        for (final int portIndex : state.activePorts) {
            tx.discard(portIndex);
            state.ports[portIndex].close(cache);
        }
        cache.flush();
        macs.close();
        pollArena.close();
    }

    /** Queues a command for this worker (any thread); false when the queue is full. */
    boolean offer(final WorkerCommand command) {
        return commands.offer(command);
    }

    private void apply(final WorkerCommand command) {
        command.applyTo(this);
        counters.commandsApplied++;
    }

    /** Applies every queued command now; for tests and benchmarks that drive the worker themselves. */
    public int applyPendingCommands() {
        final int applied = commands.drain(applyCommand);
        if (floodListsStale) {
            rebuildFloodLists();
        }
        return applied;
    }

    private void rebuildFloodLists() {
        state.rebuildFloodLists();
        rebuildPollSet();
        floodListsStale = false;
    }

    private void rebuildPollSet() {
        pollSet.clear();
        boolean pollable = state.activePorts.length > 0;
        for (final int portIndex : state.activePorts) {
            final int fd = state.ports[portIndex].pollFd();
            if (fd < 0) {
                pollable = false;
            } else {
                pollSet.add(fd, PollFd.POLLIN);
            }
        }
        allPortsPollable = pollable;
    }

    /**
     * Blocks the worker's thread until a port has frames or {@code maxMillis} passed: in poll() when
     * every port has a descriptor, else parked (memory ports signal nothing). Called by
     * {@link WorkerIdleStrategy} on this worker's thread only.
     */
    void waitForFrames(final int maxMillis) {
        counters.idleWaits++;
        if (allPortsPollable) {
            pollSet.poll(maxMillis);
        } else {
            LockSupport.parkNanos(Math.min(maxMillis, 1) * 1_000_000L);
        }
    }

    public String name() {
        return name;
    }

    public WorkerCounters counters() {
        return counters;
    }

    /** The MAC table, for display by other threads (read only: the worker is its only writer). */
    public MacTable macTable() {
        return macs;
    }

    public PacketPool pool() {
        return pool;
    }

    // ---- configuration, applied on the worker thread (see WorkerProxy) ----

    void onNamespaceCreated(final int ns, final Level level, final NamespaceSettings settings) {
        state.namespaceExists[ns] = true;
        state.namespaceSwitches[ns] = level.hasMacTable();
        counters.resetNamespace(ns);
        onSettingsChanged(ns, settings);
        floodListsStale = true;
    }

    void onNamespaceDeleted(final int ns) {
        macs.flushNamespace(ns); // a scan of the table, but namespace deletion is rare
        state.unmapNamespace(ns);
        state.namespaceExists[ns] = false;
        state.settings[ns] = null;
        floodListsStale = true;
    }

    void onSettingsChanged(final int ns, final NamespaceSettings settings) {
        state.settings[ns] = settings;
        macs.setLimit(ns, settings.macLimit());
        macs.setAgingMs(ns, settings.macAgingSeconds() * 1000);
    }

    void onPortAttached(final int portIndex, final Port port, final int ns, final boolean adminUp) {
        state.ports[portIndex] = port;
        state.portNamespace[portIndex] = ns;
        state.portAdminUp[portIndex] = adminUp;
        state.portUsable[portIndex] = adminUp && port.isLinkUp();
        counters.resetPort(portIndex);
        tx.open(portIndex);
        state.addActivePort(portIndex);
        floodListsStale = true;
    }

    void onPortDetached(final int portIndex) {
        final Port port = state.ports[portIndex];
        if (port == null) {
            return;
        }
        macs.retirePort(portIndex);
        tx.discard(portIndex);
        state.removeActivePort(portIndex);
        state.clearTrunk(portIndex);
        state.ports[portIndex] = null;
        state.portNamespace[portIndex] = ForwardingState.NO_NAMESPACE;
        state.portAdminUp[portIndex] = false;
        state.portUsable[portIndex] = false;
        floodListsStale = true;
        port.close(cache);
    }

    void onPortMoved(final int portIndex, final int ns) {
        macs.retirePort(portIndex);
        state.portNamespace[portIndex] = ns;
        floodListsStale = true;
    }

    void onPortAdminState(final int portIndex, final boolean up) {
        state.portAdminUp[portIndex] = up;
        state.portUsable[portIndex] = up && state.ports[portIndex].isLinkUp();
        if (!up) {
            macs.retirePort(portIndex);
        }
    }

    void onVlanMapped(final int portIndex, final int vlanId, final int ns) {
        final int previous = state.trunkVlanNamespace[portIndex] == null
            ? ForwardingState.NO_NAMESPACE : state.trunkVlanNamespace[portIndex][vlanId];
        if (previous != ForwardingState.NO_NAMESPACE) {
            macs.retirePort(portIndex); // forgets the port's entries in every namespace: safe, relearned at once
        }
        state.mapVlan(portIndex, vlanId, ns);
        floodListsStale = true;
    }

    void onStaticMacAdded(final int ns, final long mac, final int portIndex) {
        macs.addStatic(ns, mac, portIndex);
    }

    void onStaticMacRemoved(final int ns, final long mac) {
        macs.remove(ns, mac);
    }
}
