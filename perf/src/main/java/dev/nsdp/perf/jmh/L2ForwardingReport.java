package dev.nsdp.perf.jmh;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link L2ForwardingBenchmark} in every scenario and prints the figures issue 2 asks for:
 * Mpps per scenario and the ratio of 10,000 namespaces to one namespace with the same 1M MACs.
 * Usage: {@code scripts/bench-l2 [forks] [iterations]}; the JSON goes to docs/bench-results/.
 */
public final class L2ForwardingReport {
    private L2ForwardingReport() {
    }

    public static void main(final String[] args) throws RunnerException {
        final int forks = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        final int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final String json = args.length > 2 ? args[2] : "docs/bench-results/l2-forwarding.json";
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(L2ForwardingBenchmark.class.getName() + ".forward")
            .forks(forks)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(1))
            .shouldFailOnError(true)
            .result(json)
            .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON);
        final Collection<RunResult> results = new Runner(options.build()).run();

        final Map<String, double[]> byScenario = new LinkedHashMap<>();
        for (final RunResult r : results) {
            final String scenario = r.getParams().getParam("scenario");
            final var stats = r.getPrimaryResult().getStatistics();
            byScenario.put(scenario, new double[] {stats.getMean(), stats.getMeanErrorAt(0.999), stats.getMax()});
        }
        System.out.println();
        System.out.println("L2 forwarding, 64-byte UDP/IPv4 frames, one worker, memory ports (JMH throughput, the generator and sink share the thread)");
        System.out.printf("%-16s %12s %12s %12s%n", "scenario", "Mpps mean", "+/- 99.9%", "Mpps best");
        for (final Map.Entry<String, double[]> e : byScenario.entrySet()) {
            final double[] v = e.getValue();
            System.out.printf("%-16s %12.2f %12.2f %12.2f%n", e.getKey(), v[0] / 1e6, v[1] / 1e6, v[2] / 1e6);
        }
        ratio(byScenario, "c_10kns_1M", "b_1ns_1M");
        ratio(byScenario, "c_10kns_1M", "b_1ns_1M_trunk");
        System.out.println("results: " + json);
    }

    private static void ratio(final Map<String, double[]> results, final String a, final String b) {
        if (results.containsKey(a) && results.containsKey(b)) {
            System.out.printf("%s / %s = %.3f (means), %.3f (best iterations)%n", a, b,
                results.get(a)[0] / results.get(b)[0], results.get(a)[2] / results.get(b)[2]);
        }
    }
}
