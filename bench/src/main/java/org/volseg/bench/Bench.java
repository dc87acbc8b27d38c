package org.volseg.bench;

import java.util.Map;
import java.util.TreeMap;

/** {@code volseg bench <name>}: runs one benchmark. */
public final class Bench {

    /** One benchmark: prints its table, then one line of JSON. */
    @FunctionalInterface
    interface Benchmark {
        void run() throws Exception;
    }

    private static final Map<String, Benchmark> BENCHMARKS = new TreeMap<>(Map.of(
            "io", IoBenchmark::run,
            "memory", MemoryBenchmark::run,
            "learning", LearningBenchmark::run,
            "brain", BrainBenchmark::run,
            "inference", InferenceBenchmark::run,
            "distill", DistillBenchmark::run,
            "ossnet", OssNetBenchmark::run));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !BENCHMARKS.containsKey(args[0])) {
            System.err.println("usage: volseg bench <name>; benchmarks: " + String.join(", ", BENCHMARKS.keySet()));
            System.exit(2);
        }
        BENCHMARKS.get(args[0]).run();
    }
}
