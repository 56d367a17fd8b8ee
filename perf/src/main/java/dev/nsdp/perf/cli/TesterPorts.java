package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.loop.LoopRig;
import java.util.HashSet;
import java.util.Set;

/**
 * Where a tester (generator and sink in one process, one clock) runs its trials: the in-process
 * loop around an nsdp worker ({@link LoopRig}), or two kernel ports around an external device
 * under test — {@code --tx-link}/{@code --tx-tap} [{@code --tx-netns}] for the generator,
 * {@code --rx-link}/{@code --rx-tap} [{@code --rx-netns}] for the sink — so the same command
 * measures nsdp, the kernel, a bridge or any other DUT wired between two links.
 */
final class TesterPorts implements AutoCloseable {
    static final Set<String> VALUES;

    static {
        final Set<String> values = new HashSet<>(KernelPorts.values("tx-"));
        values.addAll(KernelPorts.values("rx-"));
        VALUES = Set.copyOf(values);
    }

    static final String HELP = """
          device under test (default: an nsdp worker between memory ports, in this process):
            --tx-link NAME | --tx-tap NAME [--tx-netns KNS]   the generator's port: AF_PACKET on a kernel
                              link or a TAP, in kernel network namespace KNS if given
            --rx-link NAME | --rx-tap NAME [--rx-netns KNS]   the sink's port
              (the DUT is whatever joins the two: nsdp, kernel routing, a bridge ...; set --dst-mac/--dst-ip
              so it forwards the frames to the sink's side)
        """;

    final PacketPool pool;
    final Port tx;
    final Port rx;
    /** What the frames go through, for the report's first line. */
    final String path;
    private final LoopRig rig;

    private TesterPorts(final PacketPool pool, final Port tx, final Port rx, final String path, final LoopRig rig) {
        this.pool = pool;
        this.tx = tx;
        this.rx = rx;
        this.path = path;
        this.rig = rig;
    }

    /** True if the command line names kernel ports for the tester. */
    static boolean kernelPortsGiven(final Arguments a) {
        return a.has("tx-link") || a.has("tx-tap") || a.has("rx-link") || a.has("rx-tap");
    }

    static TesterPorts kernel(final Arguments a, final int largestFrame) {
        final PacketPool pool = KernelPorts.pool(largestFrame);
        Port tx = null;
        try {
            tx = KernelPorts.open(a, "tx-", largestFrame, KernelPorts.Direction.TRANSMIT);
            final Port rx = KernelPorts.open(a, "rx-", largestFrame, KernelPorts.Direction.RECEIVE);
            return new TesterPorts(pool, tx, rx, "generator -> " + tx.name() + " -> DUT -> " + rx.name() + " -> sink", null);
        } catch (final RuntimeException e) {
            if (tx != null) {
                tx.close(null);
            }
            pool.close();
            throw e;
        }
    }

    static TesterPorts loop(final LoopRig rig) {
        return new TesterPorts(rig.pool(), rig.generatorPort(), rig.sinkPort(),
            "generator -> nsdp worker -> sink (memory ports, this process)", rig);
    }

    @Override
    public void close() {
        if (rig != null) {
            rig.close();
            return;
        }
        tx.close(null);
        rx.close(null);
        pool.close();
    }
}
