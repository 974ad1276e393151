package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.linalg.DenseProducts;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.linalg.TallProducts;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * Times the tall products alone (W_E^T W_E, or the three products of an untied model) on a bench
 * model: the first call in a fresh JVM ("cold": what a user sees, JIT compilation included) and then
 * repeated calls in the same JVM ("warm"). Wall and process CPU time, so that runs on a shared machine
 * can be compared. Also the time to only read the rows, the floor set by decoding the mapped floats.
 *
 * <p>Arguments: {@code modelDir [gram|grams|dense|read|analyze] [repeats]}; "grams" is {@link EmbeddingGrams#compute},
 * "analyze" the whole {@link SpectralAnalysis#run} (report not written),
 * "dense" 16 products of an upper-triangular d x d factor and a d x d matrix (the layer products).
 * Run with {@code java --add-modules jdk.incubator.vector -cp ... io.github.spectralcircuits.bench.GramBenchmark}.
 */
public final class GramBenchmark {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String what = args.length > 1 ? args[1] : "gram";
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        if (what.equals("analyze")) {
            // The whole analysis (trained + control) as the plugin runs it, once per fresh JVM for the cold time.
            for (int r = 0; r < repeats; r++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                SpectralAnalysis.run(dir, AnalysisSettings.defaults(), null, ProgressListener.NONE);
                long t1 = System.nanoTime();
                long cpu1 = os.getProcessCpuTime();
                System.out.printf(Locale.ROOT, "%s analyze run %d: %.3f s wall %.3f s cpu%n", DenseKernel.best().name(),
                        r, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
            }
            return;
        }
        try (TransformerModel model = ModelLoader.open(dir)) {
            double check = 0;
            for (int r = 0; r < repeats; r++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                check += run(model, what);
                long t1 = System.nanoTime();
                long cpu1 = os.getProcessCpuTime();
                System.out.printf(Locale.ROOT, "%s %s run %d: %.3f s wall %.3f s cpu%n", DenseKernel.best().name(), what,
                        r, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "checksum %.17g%n", check);
        }
    }

    private static double run(TransformerModel model, String what) {
        switch (what) {
            case "gram" -> {
                DMatrixRMaj g = TallProducts.standard().gram(model.embedding());
                return g.get(0, 0) + g.get(g.numRows - 1, g.numCols - 1) + g.get(3, 700 % g.numCols);
            }
            case "grams" -> {
                EmbeddingGrams g = EmbeddingGrams.compute(model);
                return g.gramE().get(0, 0) + g.gramU().get(1, 1) + g.crossUE().get(2, 5);
            }
            case "dense" -> {
                // The layer products' shape: 16 products of an upper-triangular d x d factor and a d x d matrix.
                int d = model.embedding().cols();
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
                DMatrixRMaj u = new DMatrixRMaj(d, d);
                DMatrixRMaj m = new DMatrixRMaj(d, d);
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        u.set(i, j, j >= i ? rnd.nextDouble() : 0);
                        m.set(i, j, rnd.nextDouble());
                    }
                }
                double s = 0;
                DenseProducts mm = DenseProducts.standard();
                for (int k = 0; k < 16; k++) {
                    s += mm.multUpperTriangular(u, m).get(k, 2 * k);
                }
                return s;
            }
            case "read" -> {
                RowMatrix e = model.embedding();
                double[] buf = new double[256 * e.cols()];
                double s = 0;
                for (int first = 0; first < e.rows(); first += 256) {
                    int n = Math.min(256, e.rows() - first);
                    e.readRows(first, n, buf);
                    s += buf[0];
                }
                return s;
            }
            default -> throw new IllegalArgumentException(what);
        }
    }
}
