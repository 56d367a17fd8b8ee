package dev.nsdp.perf.cli;

import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.perf.gen.GeneratorConfig;
import dev.nsdp.perf.traffic.TrafficProfile;

/** --duration / --count / --burst / --grace into a generator configuration, with clear refusals. */
final class RunOptions {
    private RunOptions() {
    }

    static GeneratorConfig generatorConfig(final Arguments a, final TrafficProfile profile, final long rate) {
        if (a.has("count") && a.has("duration")) {
            throw new UsageException("give --count or --duration, not both");
        }
        final long count;
        if (a.has("count")) {
            count = a.count("count", 0);
            if (count < 1) {
                throw new UsageException("--count must be at least 1");
            }
        } else {
            final long duration = a.nanos("duration", 10_000_000_000L);
            if (duration <= 0) {
                throw new UsageException("--duration must be positive");
            }
            count = GeneratorConfig.framesIn(duration, rate);
        }
        final int burst = a.integer("burst", GeneratorConfig.DEFAULT_BURST);
        if (burst < 1 || burst > PacketVector.MAX_SIZE) {
            throw new UsageException("--burst must be 1.." + PacketVector.MAX_SIZE + ", got " + burst);
        }
        return new GeneratorConfig(profile, rate, count, burst, a.nanos("grace", GeneratorConfig.DEFAULT_STOP_GRACE_NANOS), 0);
    }
}
