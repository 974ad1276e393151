package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the token readouts and composition scores add to a whole analysis (trained + control, JSON, charts,
 * as the fork runs it): alternating rounds of the same analysis without them ("none"), with the defaults
 * (composition scores; token readouts "auto", which skips them on a 50k vocabulary) and with token readouts
 * forced on ("tokens"). Medians and ratios against "none" from the same rounds. Run by the bench profile
 * after {@link PipelineBenchmark}; arguments {@code [shape,...] [rounds] [workDir] [configs]}.
 */
public final class ReadoutsBenchmark {
    public static void main(String[] args) throws Exception {
        String shapes = args.length > 0 ? args[0] : "tinystories33m";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Path.of(args.length > 2 ? args[2] : "target/bench-models");
        String[] configs = (args.length > 3 ? args[3] : "none,default,tokens").split(",");
        AnalysisSettings d = AnalysisSettings.defaults();
        Map<String, AnalysisSettings> settings = new LinkedHashMap<>();
        settings.put("none", d.withReadouts(new ReadoutSettings("off", 10, 3, false, 100)));
        settings.put("default", d);
        settings.put("tokens", d.withReadouts(new ReadoutSettings("on", 10, 3, true, 100)));
        for (String id : shapes.split(",")) {
            Path dir = work.resolve(id.trim());
            Map<String, List<Double>> times = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            for (int r = 0; r < rounds + 1; r++) {
                for (int c = 0; c < configs.length; c++) {
                    // rotate the order each round, so that no configuration always runs first or last
                    String name = configs[(c + r) % configs.length];
                    double c0 = cpuSeconds();
                    double t = run(dir, settings.get(name));
                    double used = cpuSeconds() - c0;
                    if (r > 0) { // round 0 warms the JIT up
                        times.computeIfAbsent(name, k -> new ArrayList<>()).add(t);
                        cpu.computeIfAbsent(name, k -> new ArrayList<>()).add(used);
                    }
                    System.out.printf(Locale.ROOT, "%s round %d %-8s %.3f s wall, %.3f CPU-s%n", id, r, name, t, used);
                }
            }
            double none = median(times.get("none"));
            double noneCpu = median(cpu.get("none"));
            System.out.printf(Locale.ROOT, "%n== %s: median of %d rounds (analysis + JSON + charts)%n", id, rounds);
            for (Map.Entry<String, List<Double>> e : times.entrySet()) {
                double m = median(e.getValue());
                double mc = median(cpu.get(e.getKey()));
                System.out.printf(Locale.ROOT, "%-8s wall %8.3f s (ratio to none %.3f), CPU %8.3f s (ratio %.3f)  %s%n",
                        e.getKey(), m, m / none, mc, mc / noneCpu, e.getValue());
            }
        }
    }

    private static double run(Path dir, AnalysisSettings settings) throws Exception {
        Path out = Files.createTempDirectory("spectral-readouts-bench");
        long t0 = System.nanoTime();
        AnalysisJob.run(AnalysisRequest.of(dir, settings, null, out, null, true), SpectralAnalysis::runAgainst,
                ProgressListener.NONE);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** CPU time of the whole process (all threads, JIT and GC included): steadier than wall time on a busy machine. */
    private static double cpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
