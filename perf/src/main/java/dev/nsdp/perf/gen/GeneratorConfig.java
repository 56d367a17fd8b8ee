package dev.nsdp.perf.gen;

import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.perf.traffic.TestPayload;
import dev.nsdp.perf.traffic.TrafficProfile;

/**
 * One generator run: what to send ({@code profile}), how fast ({@code ratePps}, frames per second)
 * and how many ({@code count}); frames are built and handed to the port in bursts of at most
 * {@code burst}. The run ends when every frame was sent, or at the latest {@code stopGraceNanos}
 * after the last frame's intended time (a port that refuses frames cannot hold it forever: frames
 * not sent by then are counted as unsent). Frames of flow {@code k} carry stream id
 * {@code streamBase + k}.
 */
public record GeneratorConfig(TrafficProfile profile, long ratePps, long count, int burst, long stopGraceNanos, int streamBase) {
    public static final int DEFAULT_BURST = 32;
    public static final long DEFAULT_STOP_GRACE_NANOS = 2_000_000_000L;

    public GeneratorConfig {
        if (ratePps < 1) {
            throw new IllegalArgumentException("rate must be at least 1 frame/s, got " + ratePps);
        }
        if (count < 1) {
            throw new IllegalArgumentException("frame count must be at least 1, got " + count);
        }
        if (burst < 1 || burst > PacketVector.MAX_SIZE) {
            throw new IllegalArgumentException("burst must be 1.." + PacketVector.MAX_SIZE + ", got " + burst);
        }
        if (stopGraceNanos < 0) {
            throw new IllegalArgumentException("stop grace must not be negative");
        }
        if (streamBase < 0 || streamBase + profile.flows() > TestPayload.MAX_STREAMS) {
            throw new IllegalArgumentException("stream ids " + streamBase + ".." + (streamBase + profile.flows() - 1)
                + " do not fit in 0.." + (TestPayload.MAX_STREAMS - 1));
        }
    }

    public static GeneratorConfig ofCount(final TrafficProfile profile, final long ratePps, final long count) {
        return new GeneratorConfig(profile, ratePps, count, DEFAULT_BURST, DEFAULT_STOP_GRACE_NANOS, 0);
    }

    /** Frames for {@code durationNanos} at {@code ratePps}: those whose intended time falls inside it (at least one). */
    public static GeneratorConfig ofDuration(final TrafficProfile profile, final long ratePps, final long durationNanos) {
        return ofCount(profile, ratePps, framesIn(durationNanos, ratePps));
    }

    public static long framesIn(final long durationNanos, final long ratePps) {
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("duration must be positive");
        }
        final long whole = durationNanos / 1_000_000_000L * ratePps;
        final long part = ((durationNanos % 1_000_000_000L) * ratePps + 999_999_999L) / 1_000_000_000L;
        return Math.max(1, whole + part);
    }

    public GeneratorConfig withBurst(final int newBurst) {
        return new GeneratorConfig(profile, ratePps, count, newBurst, stopGraceNanos, streamBase);
    }

    public GeneratorConfig withStopGrace(final long nanos) {
        return new GeneratorConfig(profile, ratePps, count, burst, nanos, streamBase);
    }

    public GeneratorConfig withStreamBase(final int newBase) {
        return new GeneratorConfig(profile, ratePps, count, burst, stopGraceNanos, newBase);
    }

    /** Intended time of the last frame, from the start. */
    public long plannedNanos() {
        return Pacer.offsetOf(count - 1, ratePps);
    }
}
