package dev.nsdp.perf.gen;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.PublishedCounters;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.FrameTemplates;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The load generator: an open-loop sender of UDP test frames into any {@link Port}, paced by an
 * intended schedule ({@link Pacer}: frame {@code i} is due at {@code t0 + i / rate}).
 *
 * <p>Each {@link #doWork()} builds the frames that are due, at most {@code burst} of them, stamps
 * them with the send time and hands them to the port in one transmit. Open loop means the schedule
 * never waits for the system under test: when the generator falls behind (the port refused frames,
 * the thread was descheduled, the DUT stalled and its ring filled), the frames that became due are
 * still sent, a burst per round, with their original intended times, and the schedule does not move.
 * Their waiting is then part of the latency measured from the intended time (see the sink), which is
 * what correcting for coordinated omission means. The burst bound keeps a catching-up generator from
 * handing a port thousands of frames at once.
 *
 * <p>Frames the port does not take stay queued (in order) and are restamped and offered again next
 * round. The run ends when all {@code count} frames are sent, at the stop deadline (the last
 * intended time plus the configured grace: frames not sent by then are freed and counted unsent),
 * or on {@link #requestStop()}. Either way it always ends.
 *
 * <p>Hot path: no allocation, no locks; counters are {@link PublishedCounters}. Timestamps come
 * from {@code clock} (System.nanoTime, i.e. CLOCK_MONOTONIC, in real runs): the sink must read the
 * same clock. One thread: the one running this agent.
 */
public final class Generator implements Agent {
    public static final int FRAMES_SENT = 0;
    /** Bytes sent, counting each frame's size with its FCS (as the frame sizes do). */
    public static final int BYTES_SENT = 1;
    /** Rounds in which the port took fewer frames than offered (ring full, link down). */
    public static final int PORT_REFUSALS = 2;
    /** Rounds that found no free packet buffer. */
    public static final int POOL_EMPTY = 3;
    /** Largest send lag seen (actual minus intended send time of a burst's oldest frame), ns. */
    public static final int MAX_SEND_LAG = 4;
    /** Frames not sent when the run ended (deadline or stop request). */
    public static final int FRAMES_UNSENT = 5;
    private static final int COUNTER_COUNT = 6;

    private final GeneratorConfig config;
    private final Port port;
    private final PacketPool pool;
    private final UnsafeBuffer view;
    private final BufferCache cache;
    private final NanoClock clock;
    private final FrameTemplates templates;
    private final Pacer pacer;
    private final PublishedCounters counters = new PublishedCounters(COUNTER_COUNT);
    private final int flows;
    private final int patternLength;
    private final int burst;
    private final long count;
    private final int streamBase;

    private final PacketVector pending;
    private final long[] slotIntended;
    private final long[] slotSum;
    private final int[] slotFlow;
    private final int[] sequence;
    private final long[] sentPerFlow;

    private int flowCursor;
    private int sizeCursor;
    private long built;
    private long sent;
    private long startNanos;
    private long deadlineNanos;
    private long firstSendNanos;
    private long lastSendNanos;
    private long endNanos;
    private boolean started;
    private volatile boolean stopRequested;
    private volatile boolean done;

    public Generator(final GeneratorConfig config, final Port port, final PacketPool pool, final NanoClock clock) {
        final int largest = config.profile().sizes().max() - FrameSizes.FCS;
        if (largest > pool.maxFrameLength()) {
            throw new IllegalArgumentException("frame size " + config.profile().sizes().max() + " needs " + largest
                + " bytes of packet buffer, the pool has " + pool.maxFrameLength() + " (buffer size " + pool.bufferSize()
                + " less headroom " + pool.headroom() + ")");
        }
        this.config = config;
        this.port = port;
        this.pool = pool;
        this.view = pool.view();
        this.cache = pool.newCache(2 * PacketVector.MAX_SIZE);
        this.clock = clock;
        this.templates = new FrameTemplates(config.profile());
        this.pacer = new Pacer(config.ratePps());
        this.flows = config.profile().flows();
        this.patternLength = config.profile().sizes().patternLength();
        this.burst = config.burst();
        this.count = config.count();
        this.streamBase = config.streamBase();
        this.pending = new PacketVector(burst);
        this.slotIntended = new long[burst];
        this.slotSum = new long[burst];
        this.slotFlow = new int[burst];
        this.sequence = new int[flows];
        this.sentPerFlow = new long[flows];
    }

    @Override
    public String roleName() {
        return "nsdp-generator";
    }

    /** Fixes the schedule's t0 (otherwise the first {@link #doWork()} does, at its clock reading). */
    public void start(final long t0) {
        if (!started) {
            started = true;
            startNanos = t0;
            deadlineNanos = t0 + config.plannedNanos() + config.stopGraceNanos();
            pacer.start(t0);
        }
    }

    @Override
    public int doWork() {
        if (done) {
            return 0;
        }
        final long now = clock.nanoTime();
        if (!started) {
            start(now);
        }
        int work = fill(now);
        if (pending.count() > 0) {
            work += send();
        }
        if (built == count && pending.count() == 0) {
            finish(now);
        } else if (now - deadlineNanos > 0 || stopRequested) {
            finish(now);
        }
        return work;
    }

    /** Builds the frames due by {@code now}, up to the burst. */
    private int fill(final long now) {
        int added = 0;
        while (built < count && pending.count() < burst && pacer.next() - now <= 0) {
            final long empty = cache.allocateDescriptor();
            if (empty == -1L) {
                counters.increment(POOL_EMPTY);
                break;
            }
            final long frame = Descriptor.withLength(empty, templates.frameLength(sizeCursor));
            final int slot = pending.count();
            final long intended = pacer.next();
            final int flow = flowCursor;
            slotSum[slot] = templates.write(view, pool.offsetOf(frame), flow, sizeCursor, streamBase + flow,
                sequence[flow]++, intended);
            slotIntended[slot] = intended;
            slotFlow[slot] = flow;
            pending.add(frame, 0);
            pacer.advance();
            built++;
            added++;
            // Flows take turns frame by frame; each flow walks the whole size pattern.
            if (++flowCursor == flows) {
                flowCursor = 0;
                if (++sizeCursor == patternLength) {
                    sizeCursor = 0;
                }
            }
        }
        return added;
    }

    /** Stamps the pending frames with the send time and offers them to the port. */
    private int send() {
        final long sendTime = clock.nanoTime();
        final int n = pending.count();
        for (int i = 0; i < n; i++) {
            final long d = pending.descriptor(i);
            templates.stampSendLag(view, pool.offsetOf(d), sendTime - slotIntended[i], slotSum[i]);
        }
        counters.max(MAX_SEND_LAG, sendTime - slotIntended[0]);
        final int taken = port.transmit(pending, cache);
        if (taken < n) {
            counters.increment(PORT_REFUSALS);
        }
        if (taken > 0) {
            long bytes = 0;
            for (int i = 0; i < taken; i++) {
                bytes += Descriptor.length(pending.descriptor(i)) + FrameSizes.FCS;
                sentPerFlow[slotFlow[i]]++;
            }
            if (sent == 0) {
                firstSendNanos = sendTime;
            }
            lastSendNanos = sendTime;
            sent += taken;
            counters.add(FRAMES_SENT, taken);
            counters.add(BYTES_SENT, bytes);
            pending.removeFirst(taken);
            final int rest = n - taken;
            if (rest > 0) {
                System.arraycopy(slotIntended, taken, slotIntended, 0, rest);
                System.arraycopy(slotSum, taken, slotSum, 0, rest);
                System.arraycopy(slotFlow, taken, slotFlow, 0, rest);
            }
        }
        return taken;
    }

    private void finish(final long now) {
        pending.freeAll(cache);
        counters.set(FRAMES_UNSENT, count - sent);
        endNanos = now;
        done = true;
    }

    /** Ends the run at the next round (any thread): what was not sent is counted unsent. */
    public void requestStop() {
        stopRequested = true;
    }

    /** True once the run has ended (any thread). */
    public boolean isDone() {
        return done;
    }

    @Override
    public void onClose() {
        pending.freeAll(cache);
        cache.flush();
    }

    public PublishedCounters counters() {
        return counters;
    }

    public GeneratorConfig config() {
        return config;
    }

    public FrameTemplates templates() {
        return templates;
    }

    /** The schedule's t0 (valid once started). */
    public long startNanos() {
        return startNanos;
    }

    /** Clock reading when the run ended (valid once {@link #isDone()}). */
    public long endNanos() {
        return endNanos;
    }

    public long firstSendNanos() {
        return firstSendNanos;
    }

    public long lastSendNanos() {
        return lastSendNanos;
    }

    /** Frames of flow {@code k} the port took (read after the run, from the thread that joined it). */
    public long sentOfFlow(final int flow) {
        return sentPerFlow[flow];
    }

    public long framesSent() {
        return counters.get(FRAMES_SENT);
    }
}
