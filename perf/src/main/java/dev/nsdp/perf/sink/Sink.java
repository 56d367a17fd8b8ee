package dev.nsdp.perf.sink;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.codec.Checksum;
import dev.nsdp.dataplane.codec.IpProtocol;
import dev.nsdp.dataplane.codec.PacketParser;
import dev.nsdp.dataplane.codec.ParsedPacket;
import dev.nsdp.dataplane.codec.UdpHeader;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.perf.PublishedCounters;
import dev.nsdp.perf.traffic.FrameSizes;
import dev.nsdp.perf.traffic.TestPayload;
import java.nio.ByteOrder;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The latency sink: receives bursts from any {@link Port}, validates each frame (a well-formed
 * UDP frame per the dataplane's parser, the test payload's magic, the UDP checksum, a stream id of
 * this run), accounts sequence numbers per stream ({@link StreamTracker}: loss, duplicates,
 * reordering), and records three latencies per frame into the current {@link IntervalSample}'s
 * HdrHistograms. Every {@code intervalNanos} the sample is handed to the collector through a queue
 * and a recycled one takes its place.
 *
 * <p>Coordinated omission. The corrected latency is recorded as receive time minus the frame's
 * <em>intended</em> send time, with a plain {@code recordValue}. HdrHistogram's
 * {@code recordValueWithExpectedInterval} is the other way to correct: it invents the samples a
 * closed-loop tester failed to take while it waited for a stalled system. This generator is open
 * loop: it never skips a frame, it sends late ones with their intended time, so every sample that
 * theory wants is really there and measured, and inventing more would count the stall twice.
 * Measuring from the schedule gives each frame the wait it would have had in a system that kept the
 * schedule (a stalled DUT or sink, a generator held back by a full ring, the generator's own
 * hiccups) and needs no assumption about the interval. The uncorrected histogram (from the actual
 * send time) is kept beside it, so a report shows how much a stall would have hidden.
 *
 * <p>Receive time: one clock reading per burst, taken right after the port returned it; frames of
 * a burst share it. Every frame is freed into the sink's cache after accounting. Hot path: no
 * allocation, no locks, no exceptions for bad input; invalid frames are counted by reason.
 */
public final class Sink implements Agent {
    /** Valid test frames of this run, duplicates included. */
    public static final int FRAMES_RECEIVED = 0;
    public static final int BYTES_RECEIVED = 1;
    public static final int UNIQUE = 2;
    public static final int DUPLICATES = 3;
    public static final int REORDERED = 4;
    public static final int TOO_OLD = 5;
    /** Sum over streams of highest sequence + 1. */
    public static final int EXPECTED = 6;
    /** Frames the parser refused, or not unfragmented UDP. */
    public static final int NOT_UDP = 7;
    /** UDP frames too short for the test payload or without its magic. */
    public static final int NOT_TEST_FRAME = 8;
    public static final int BAD_CHECKSUM = 9;
    /** Test frames of a stream id this sink does not expect (another run's). */
    public static final int FOREIGN_STREAM = 10;
    /** Frames whose intended send time lies after their receive time (clocks not the same). */
    public static final int NEGATIVE_LATENCY = 11;
    /** Latencies above the histograms' range, recorded as the highest value. */
    public static final int LATENCY_CLAMPED = 12;
    /** Frames whose send lag saturated the 32-bit field (their uncorrected latency is unknown). */
    public static final int LAG_SATURATED = 13;
    /** Every frame polled from the port, valid or not. */
    public static final int FRAMES_POLLED = 14;
    private static final int COUNTER_COUNT = 15;

    private static final int PARSED_OK = 0;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final SinkConfig config;
    private final Port port;
    private final PacketPool pool;
    private final UnsafeBuffer view;
    private final BufferCache cache;
    private final NanoClock clock;
    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private final PacketVector rx = new PacketVector();
    private final StreamTracker tracker;
    private final PublishedCounters counters = new PublishedCounters(COUNTER_COUNT);
    private final long[] local = new long[COUNTER_COUNT];
    private final OneToOneConcurrentArrayQueue<IntervalSample> ready;
    private final OneToOneConcurrentArrayQueue<IntervalSample> free;
    private final int streamBase;
    private final int streams;
    private final boolean verifyChecksum;
    private final long intervalNanos;
    private IntervalSample current;
    private boolean started;
    private long startNanos;
    private long lastPollNanos;
    private long firstReceiveNanos;
    private long lastReceiveNanos;

    public Sink(final SinkConfig config, final Port port, final PacketPool pool, final NanoClock clock) {
        this.config = config;
        this.port = port;
        this.pool = pool;
        this.view = pool.view();
        this.cache = pool.newCache(2 * PacketVector.MAX_SIZE);
        this.clock = clock;
        this.tracker = new StreamTracker(config.streams(), config.reorderWindowBits());
        this.streamBase = config.streamBase();
        this.streams = config.streams();
        this.verifyChecksum = config.verifyChecksum();
        this.intervalNanos = config.intervalNanos();
        this.ready = new OneToOneConcurrentArrayQueue<>(config.samples());
        this.free = new OneToOneConcurrentArrayQueue<>(config.samples());
        for (int i = 0; i < config.samples() - 1; i++) {
            free.offer(new IntervalSample());
        }
        this.current = new IntervalSample();
    }

    @Override
    public String roleName() {
        return "nsdp-sink";
    }

    /** Fixes the start of the first interval (otherwise the first {@link #doWork()} does). */
    public void start(final long t0) {
        if (!started) {
            started = true;
            startNanos = t0;
            lastPollNanos = t0;
            current.reset(t0, t0 + intervalNanos);
        }
    }

    @Override
    public int doWork() {
        final long before = clock.nanoTime();
        if (!started) {
            start(before);
        }
        if (before - current.endNanos >= 0) {
            roll(before);
        }
        rx.clear();
        final int n = port.receive(rx, 0, cache);
        if (n == 0) {
            lastPollNanos = before;
            return 0;
        }
        final long now = clock.nanoTime();
        lastPollNanos = now;
        if (local[FRAMES_RECEIVED] == 0) {
            firstReceiveNanos = now;
        }
        lastReceiveNanos = now;
        for (int i = 0; i < n; i++) {
            final long d = rx.descriptor(i);
            accept(d, now);
            cache.free(d);
        }
        rx.clear();
        local[FRAMES_POLLED] += n;
        publish();
        return n;
    }

    private void accept(final long d, final long now) {
        final IntervalSample sample = current;
        final int at = pool.offsetOf(d);
        final int length = Descriptor.length(d);
        if (parser.parse(view, at, length, parsed) != PARSED_OK || parsed.protocol != IpProtocol.UDP
            || !parsed.hasL4Header || parsed.isFragment) {
            local[NOT_UDP]++;
            sample.invalid++;
            return;
        }
        final int udpAt = parsed.l4Offset;
        final int udpLength = view.getShort(udpAt + UdpHeader.LENGTH_OFFSET, BE) & 0xFFFF;
        final int payloadAt = udpAt + UdpHeader.HEADER_LENGTH;
        if (udpLength < UdpHeader.HEADER_LENGTH + TestPayload.LENGTH || TestPayload.magic(view, payloadAt) != TestPayload.MAGIC) {
            local[NOT_TEST_FRAME]++;
            sample.invalid++;
            return;
        }
        if (verifyChecksum && !checksumOk(udpAt, udpLength)) {
            local[BAD_CHECKSUM]++;
            sample.invalid++;
            return;
        }
        final int stream = TestPayload.stream(view, payloadAt) - streamBase;
        if (stream < 0 || stream >= streams) {
            local[FOREIGN_STREAM]++;
            sample.invalid++;
            return;
        }
        sample.received++;
        sample.receivedBytes += length + FrameSizes.FCS;
        local[FRAMES_RECEIVED]++;
        local[BYTES_RECEIVED] += length + FrameSizes.FCS;
        final long expectedBefore = tracker.expectedTotal();
        final int verdict = tracker.record(stream, TestPayload.sequence(view, payloadAt));
        sample.expected += tracker.expectedTotal() - expectedBefore;
        switch (verdict) {
            case StreamTracker.DUPLICATE -> {
                sample.duplicates++;
                return; // a copy says nothing new about latency: only first copies are recorded
            }
            case StreamTracker.TOO_OLD -> {
                sample.tooOld++;
                return;
            }
            case StreamTracker.REORDERED -> {
                sample.reordered++;
                sample.unique++;
            }
            default -> sample.unique++;
        }
        final long corrected = TestPayload.elapsedSince48(now, TestPayload.intendedTime48(view, payloadAt));
        if (corrected < 0) {
            local[NEGATIVE_LATENCY]++;
            return;
        }
        record(sample.corrected, corrected);
        final long lag = TestPayload.sendLag(view, payloadAt);
        if (lag == TestPayload.MAX_SEND_LAG) {
            local[LAG_SATURATED]++;
        } else {
            record(sample.uncorrected, Math.max(0, corrected - lag));
            record(sample.sendLag, lag);
        }
    }

    private void record(final Histogram histogram, final long value) {
        if (value > LatencyHistograms.HIGHEST_NANOS) {
            local[LATENCY_CLAMPED]++;
            histogram.recordValue(LatencyHistograms.HIGHEST_NANOS);
        } else {
            histogram.recordValue(value);
        }
    }

    /** A datagram whose stored checksum is right sums to zero with it (zero over IPv4 means none). */
    private boolean checksumOk(final int udpAt, final int udpLength) {
        if (parsed.ipVersion == 4) {
            return (view.getShort(udpAt + UdpHeader.CHECKSUM_OFFSET) == 0)
                || Checksum.ipv4L4(view, udpAt, udpLength, parsed.ipv4Src, parsed.ipv4Dst, IpProtocol.UDP) == 0;
        }
        return Checksum.ipv6L4(view, udpAt, udpLength, parsed.l3Offset + 8, parsed.l3Offset + 24, IpProtocol.UDP) == 0;
    }

    /** Hands the finished interval to the collector and starts the one holding {@code now}. */
    private void roll(final long now) {
        final IntervalSample next = free.poll();
        if (next == null) {
            // The collector is behind: keep measuring into the same sample rather than drop anything.
            current.endNanos += ((now - current.endNanos) / intervalNanos + 1) * intervalNanos;
            return;
        }
        final long start = current.endNanos + (now - current.endNanos) / intervalNanos * intervalNanos;
        ready.offer(current);
        next.reset(start, start + intervalNanos);
        current = next;
    }

    private void publish() {
        local[UNIQUE] = tracker.uniqueTotal();
        local[DUPLICATES] = tracker.duplicateTotal();
        local[REORDERED] = tracker.reorderedTotal();
        local[TOO_OLD] = tracker.tooOldTotal();
        local[EXPECTED] = tracker.expectedTotal();
        for (int i = 0; i < COUNTER_COUNT; i++) {
            counters.set(i, local[i]);
        }
    }

    /** Finished intervals, oldest first; give each back with {@link #recycle} once read. */
    public IntervalSample pollInterval() {
        return ready.poll();
    }

    public void recycle(final IntervalSample sample) {
        free.offer(sample);
    }

    /**
     * The interval being measured, closed at the last poll: only once the sink's thread has stopped
     * (after which it is the caller's).
     */
    public IntervalSample takeLastInterval() {
        publish();
        current.endNanos = Math.max(current.startNanos, Math.min(current.endNanos, lastPollNanos));
        return current;
    }

    @Override
    public void onClose() {
        rx.freeAll(cache);
        cache.flush();
    }

    public PublishedCounters counters() {
        return counters;
    }

    /** Per-stream accounts: read only after the sink's thread has stopped (or on its thread). */
    public StreamTracker tracker() {
        return tracker;
    }

    public SinkConfig config() {
        return config;
    }

    public long startNanos() {
        return startNanos;
    }

    public long firstReceiveNanos() {
        return firstReceiveNanos;
    }

    public long lastReceiveNanos() {
        return lastReceiveNanos;
    }
}
