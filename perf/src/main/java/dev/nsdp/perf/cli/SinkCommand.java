package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.report.ConsoleReport;
import dev.nsdp.perf.report.HlogFile;
import dev.nsdp.perf.report.JsonReport;
import dev.nsdp.perf.report.Plots;
import dev.nsdp.perf.report.RunSummary;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.SinkConfig;
import dev.nsdp.perf.sink.StreamTracker;
import dev.nsdp.perf.traffic.FrameSizes;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/** {@code perf sink}: the latency sink alone, on a kernel link or a TAP. */
final class SinkCommand {
    static final String HELP = """
        perf sink --link NAME | --tap NAME [options]
          Receives test frames from 'perf gen' (same host: both read CLOCK_MONOTONIC), validates them, and
          accounts loss, duplicates, reordering and latency per stream. Stops at --duration, --idle-stop after
          the last frame, or Ctrl-C. Without the generator's count it sees loss as gaps in the sequence numbers:
          frames lost at the very end of a stream go unseen.
          run:
            --streams N       stream ids it expects: 0..N-1 (the generator's --flows)       [1]
            --stream-base K   first stream id it expects                                     [0]
            --duration D      stop after D                                                   [none]
            --idle-stop D     stop D after the last frame (once frames have arrived)          [2s]
            --reorder-window W  sequence numbers remembered per stream (power of two)         [16384]
            --no-checksum     do not verify UDP checksums
            --max-size S      largest frame expected, FCS included                           [1518]
        """;
    private static final Set<String> VALUES = Set.of("streams", "stream-base", "duration", "idle-stop", "reorder-window", "max-size");

    private SinkCommand() {
    }

    static int run(final List<String> args, final PrintStream out, final AtomicBoolean stop) {
        final Set<String> values = new HashSet<>(VALUES);
        values.addAll(KernelPorts.VALUES);
        values.addAll(Outputs.VALUES);
        final Set<String> flags = new HashSet<>(Outputs.FLAGS);
        flags.add("no-checksum");
        final Arguments a = new Arguments("sink", args, values, flags);
        final Outputs outputs = new Outputs(a);
        final int maxSize = a.integer("max-size", 1518);
        if (maxSize < FrameSizes.MIN || maxSize > FrameSizes.MAX) {
            throw new UsageException("--max-size must be " + FrameSizes.MIN + ".." + FrameSizes.MAX + ", got " + maxSize);
        }
        final SinkConfig config;
        try {
            config = new SinkConfig(a.integer("streams", 1), a.integer("stream-base", 0),
                a.integer("reorder-window", StreamTracker.DEFAULT_WINDOW_BITS), !a.flag("no-checksum"), outputs.intervalNanos,
                SinkConfig.DEFAULT_SAMPLES);
            new StreamTracker(config.streams(), config.reorderWindowBits()); // checks the window before any port opens
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        final long duration = a.nanos("duration", 0);
        final long idleStop = a.nanos("idle-stop", 2_000_000_000L);
        final Port port = KernelPorts.open(a, maxSize - FrameSizes.FCS, KernelPorts.Direction.RECEIVE);
        out.println("nsdp perf sink on " + port.name() + ": streams " + config.streamBase() + ".."
            + (config.streamBase() + config.streams() - 1) + (duration > 0 ? ", for " + duration / 1e9 + " s" : "")
            + ", stops " + idleStop / 1e9 + " s after the last frame");
        try (PacketPool pool = KernelPorts.pool(maxSize - FrameSizes.FCS);
             HlogFile hlog = outputs.openHlog(outputs.hlog, "nsdp perf sink on " + port.name())) {
            final Sink sink = new Sink(config, port, pool, SystemNanoClock.INSTANCE);
            final long t0 = System.nanoTime();
            sink.start(t0);
            final SinkCollector collector = new SinkCollector(sink, t0, hlog,
                outputs.quiet ? null : row -> out.println(ConsoleReport.intervalLine(row)));
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AgentRunner runner = new AgentRunner(new BusySpinIdleStrategy(), failure::set, (AtomicCounter) null, sink);
            AgentRunner.startOnThread(runner);
            long lastCount = 0;
            long lastChange = t0;
            try {
                while (!stop.get() && failure.get() == null) {
                    LockSupport.parkNanos(20_000_000L);
                    collector.poll();
                    final long now = System.nanoTime();
                    final long count = sink.counters().get(Sink.FRAMES_POLLED);
                    if (count != lastCount) {
                        lastCount = count;
                        lastChange = now;
                    }
                    if (duration > 0 && now - t0 >= duration || count > 0 && now - lastChange >= idleStop) {
                        break;
                    }
                }
            } finally {
                runner.close();
                port.close(null);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("sink failed: " + failure.get(), failure.get());
            }
            collector.finish();
            final RunSummary summary = RunSummary.of("sink", null, sink, collector);
            out.print(ConsoleReport.summary(summary));
            final StringBuilder written = new StringBuilder();
            Outputs.write(outputs.json, JsonReport.run(summary), written);
            Outputs.write(outputs.svg, Plots.runDocument(summary), written);
            if (outputs.hlog != null) {
                written.append("  wrote ").append(outputs.hlog).append('\n');
            }
            out.print(written);
            return 0;
        }
    }
}
