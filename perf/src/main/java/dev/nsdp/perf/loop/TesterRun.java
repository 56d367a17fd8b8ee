package dev.nsdp.perf.loop;

import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.gen.Generator;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.report.HlogFile;
import dev.nsdp.perf.report.RunSummary;
import dev.nsdp.perf.sink.IntervalRow;
import dev.nsdp.perf.sink.Sink;
import dev.nsdp.perf.sink.SinkCollector;
import dev.nsdp.perf.sink.SinkConfig;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One real-time run of a generator and a sink: both agents on one "tester" thread (a composite
 * agent, busy spinning so the schedule is kept to the microsecond), while the calling thread
 * collects intervals (the per-second lines) until the generator has finished, then waits for the
 * frames still in flight (at most {@code drainNanos}), stops the tester and summarises.
 *
 * <p>One tester thread, not two, because the lab machines have two cores and the DUT needs one;
 * the cost is that generator and sink share a core, which the report's send lag shows if it
 * matters. The clock is System.nanoTime (CLOCK_MONOTONIC) for both.
 */
public final class TesterRun {
    /** How the run is watched and ended. */
    /**
     * @param startNanos when the schedule starts (System.nanoTime), or 0 for 1 ms after set-up
         */
    public record Options(long drainNanos, HlogFile hlog, Consumer<IntervalRow> listener, AtomicBoolean stop, long startNanos) {
        public static Options quiet(final long drainNanos) {
            return new Options(drainNanos, null, null, new AtomicBoolean(), 0);
        }
    }

    /** What a run leaves: the summary, and the agents for anything more a caller wants to read. */
    public record Result(RunSummary summary, Generator generator, Sink sink) {
    }

    private TesterRun() {
    }

    public static Result run(final String mode, final PacketPool pool, final Port txPort, final Port rxPort,
        final GeneratorConfig generatorConfig, final SinkConfig sinkConfig, final Options options) {
        final SystemNanoClock clock = SystemNanoClock.INSTANCE;
        final Generator generator = new Generator(generatorConfig, txPort, pool, clock);
        final Sink sink = new Sink(sinkConfig, rxPort, pool, clock);
        final long t0 = options.startNanos() != 0 ? options.startNanos() : clock.nanoTime() + 1_000_000;
        generator.start(t0);
        sink.start(t0);
        final SinkCollector collector = new SinkCollector(sink, t0, options.hlog(), options.listener());
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AgentRunner runner = new AgentRunner(new BusySpinIdleStrategy(), failure::set, (AtomicCounter) null,
            new CompositeAgent(generator, sink));
        AgentRunner.startOnThread(runner);
        try {
            while (!generator.isDone() && failure.get() == null) {
                if (options.stop().get()) {
                    generator.requestStop();
                }
                collector.poll();
                LockSupport.parkNanos(20_000_000);
            }
            final long drainEnd = clock.nanoTime() + options.drainNanos();
            final long sent = generator.framesSent();
            while (clock.nanoTime() - drainEnd < 0 && sink.counters().get(Sink.UNIQUE) < sent && failure.get() == null
                && !options.stop().get()) {
                collector.poll();
                LockSupport.parkNanos(1_000_000);
            }
        } finally {
            runner.close(); // stops the tester thread; the agents free their buffers on it
        }
        if (failure.get() != null) {
            throw new IllegalStateException("tester failed: " + failure.get(), failure.get());
        }
        collector.finish();
        return new Result(RunSummary.of(mode, generator, sink, collector), generator, sink);
    }
}
