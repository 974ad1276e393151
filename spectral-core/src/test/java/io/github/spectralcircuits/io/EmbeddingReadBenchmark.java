package io.github.spectralcircuits.io;

import io.github.spectralcircuits.model.TensorSources;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Not a test: times opening a model directory and reading its embedding panel by panel, and reports
 * the peak heap. Run with a small heap, for example
 * {@code java -Xmx256m -cp target/classes:target/test-classes:<deps> io.github.spectralcircuits.io.EmbeddingReadBenchmark DIR [tensor] [panelRows]}
 */
public final class EmbeddingReadBenchmark {
    private EmbeddingReadBenchmark() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String tensor = args.length > 1 ? args[1] : "transformer.wte.weight";
        int panelRows = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        for (int round = 1; round <= 3; round++) {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            try (TensorSource s = TensorSources.open(dir)) {
                long t1 = System.nanoTime();
                RowMatrix e = s.rowMatrix(tensor);
                double[] panel = new double[panelRows * e.cols()];
                double sum = 0;
                for (int first = 0; first < e.rows(); first += panelRows) {
                    int n = Math.min(panelRows, e.rows() - first);
                    e.readRows(first, n, panel);
                    for (int i = 0; i < n * e.cols(); i++) {
                        sum += panel[i];
                    }
                }
                long t2 = System.nanoTime();
                long c2 = threads.getCurrentThreadCpuTime();
                // a second pass over the same mapping: pages are now mapped, so this is decoding alone
                for (int first = 0; first < e.rows(); first += panelRows) {
                    e.readRows(first, Math.min(panelRows, e.rows() - first), panel);
                }
                long secondPassCpu = threads.getCurrentThreadCpuTime() - c2;
                long t2b = System.nanoTime();
                double layers = 0;
                int layerTensors = 0;
                for (String name : s.names()) {
                    if (name.contains(".attn.") && name.endsWith("_proj.weight")) {
                        layers += s.readDoubles(name)[0];
                        layerTensors++;
                    }
                }
                long t3 = System.nanoTime();
                System.out.printf("round %d: open %.1f ms (%d tensors), embedding %s [%d x %d] %s read in panels of %d rows: "
                                + "%.1f ms wall (%.0f MB/s of stored data, checksum %.6f); open+read CPU %.1f ms, second pass CPU %.1f ms; "
                                + "%d attention tensors by readDoubles: %.1f ms%n",
                        round, (t1 - t0) / 1e6, s.names().size(), tensor, e.rows(), e.cols(), s.info(tensor).dtype(), panelRows,
                        (t2 - t1) / 1e6, (double) e.rows() * e.cols() * s.info(tensor).dtype().bytes() / ((t2 - t1) / 1e3), sum,
                        (c2 - c0) / 1e6, secondPassCpu / 1e6, layerTensors, (t3 - t2b) / 1e6);
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("max heap %d MB, peak heap used (sum of pool peaks) %.1f MB%n",
                Runtime.getRuntime().maxMemory() >> 20, peak / 1048576.0);
    }
}
