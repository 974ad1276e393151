package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The whole analysis (trained + control, no report writing) with each progress message timestamped,
 * and the wall and process CPU time of the per-layer stage summed: each "Layer l" message but the
 * first of each model (that one also covers the shared Gram), measured from the previous message.
 * Argument: the model directory.
 */
public final class TimedAnalysis {

    public static void main(String[] args) {
        long start = System.nanoTime();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[] last = {start, cpu0};
        double[] layers = {0, 0};
        SpectralAnalysis.run(Path.of(args[0]), AnalysisSettings.defaults(), null, message -> {
            long now = System.nanoTime();
            double dt = (now - last[0]) / 1e9;
            long cpu = os.getProcessCpuTime();
            if (message.startsWith("Layer ") && !message.contains("(1/")) {
                layers[0] += dt;
                layers[1] += (cpu - last[1]) / 1e9;
            }
            last[1] = cpu;
            System.out.printf(Locale.ROOT, "%7.3f s (+%.3f) %s%n", (now - start) / 1e9, dt,
                    message.length() > 90 ? message.substring(0, 90) : message);
            last[0] = now;
        });
        System.out.printf(Locale.ROOT, "TOTAL %.3f s wall, %.3f s cpu; per-layer stage (layers after the first, trained + control) %.3f s wall, %.3f s cpu%n",
                (System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9, layers[0], layers[1]);
    }
}
