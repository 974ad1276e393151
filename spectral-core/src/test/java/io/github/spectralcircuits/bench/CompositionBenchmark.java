package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.composition.CompositionRanking;
import io.github.spectralcircuits.composition.CompositionScores;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The composition scores' own work, apart from the rest of an analysis: the layers' weights are read and
 * folded once, then the trained model's collector and the control's sample ({@link CompositionScores#forControl})
 * run over them several times, and the ranking once per repeat; wall and process CPU time, medians after a
 * warm-up; then the rate of one layer pair's product alone. Arguments: {@code modelDir [repeats]}.
 */
public final class CompositionBenchmark {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (TransformerModel model = ModelLoader.open(dir)) {
            ModelInfo info = model.info();
            List<LayerWeights> layers = new ArrayList<>();
            long f0 = System.nanoTime();
            for (int l = 0; l < info.nLayers(); l++) {
                layers.add(LayerProducts.foldedWeights(model.layer(l), model.conventions().embeddingScale()));
            }
            System.out.printf(Locale.ROOT, "read + fold %d layers: %.3f s%n", info.nLayers(), (System.nanoTime() - f0) / 1e9);
            String[] names = {"trained", "control", "ranking", "chart"};
            double[][] wall = new double[names.length][repeats];
            double[][] cpu = new double[names.length][repeats];
            for (int r = 0; r < repeats; r++) {
                CompositionScores[] collectors = {new CompositionScores(info.nLayers(), info.nHeads()),
                        CompositionScores.forControl(info.nLayers(), info.nHeads())};
                for (int k = 0; k < names.length; k++) {
                    long t0 = System.nanoTime();
                    long c0 = os.getProcessCpuTime();
                    if (k < 2) {
                        for (LayerWeights w : layers) {
                            collectors[k].layer(w, List.of());
                        }
                    } else if (k == 3) {
                        chart(collectors[0]);
                    } else {
                        CompositionRanking.rank(collectors[0].matrices(), collectors[1].matrices(), 100, h -> true);
                    }
                    wall[k][r] = (System.nanoTime() - t0) / 1e9;
                    cpu[k][r] = (os.getProcessCpuTime() - c0) / 1e9;
                }
            }
            productRate(info, os);
            double fma = CompositionScores.multiplyAdds(info.nLayers(), info.nHeads(), info.dHead(), info.dModel());
            System.out.printf(Locale.ROOT, "%s: %d layers x %d heads, d %d, d_head %d; product %.3g multiply-adds (trained)%n",
                    dir.getFileName(), info.nLayers(), info.nHeads(), info.dModel(), info.dHead(), fma);
            for (int k = 0; k < names.length; k++) {
                System.out.printf(Locale.ROOT, "  %-8s wall %.3f s, CPU %.3f s   (all wall %s)%n", names[k],
                        median(wall[k], repeats > 1), median(cpu[k], repeats > 1), Arrays.toString(wall[k]));
            }
        }
    }

    /** One layer pair's product, [H d_head, d] x [d, 3 H d_head], on random factors: the packed kernel's rate here. */
    private static void productRate(ModelInfo info, com.sun.management.OperatingSystemMXBean os) {
        var mm = io.github.spectralcircuits.linalg.DenseProducts.standard();
        var a = new org.ejml.data.DMatrixRMaj(info.nHeads() * info.dHead(), info.dModel());
        var b = new org.ejml.data.DMatrixRMaj(info.dModel(), 3 * info.nHeads() * info.dHead());
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < b.data.length; i++) {
            b.data[i] = rnd.nextGaussian();
        }
        for (int r = 0; r < 8; r++) {
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            mm.mult(a, b);
            double t = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "one layer pair's product: %.4f s wall, %.4f CPU-s, %.1f GFMA/s%n", t,
                    (os.getProcessCpuTime() - c0) / 1e9, (double) a.numRows * a.numCols * b.numCols / t / 1e9);
        }
    }

    /** The composition chart (package-private CompositionChart.draw) drawn and encoded as the report writes it. */
    private static void chart(CompositionScores scores) {
        try {
            Class<?> c = Class.forName("io.github.spectralcircuits.report.charts.CompositionChart");
            var draw = c.getDeclaredMethod("draw", io.github.spectralcircuits.composition.CompositionMatrices.class);
            draw.setAccessible(true);
            var image = (java.awt.image.BufferedImage) draw.invoke(null, scores.matrices());
            java.nio.file.Path f = java.nio.file.Files.createTempFile("composition", ".png");
            try (var out = java.nio.file.Files.newOutputStream(f)) {
                org.jfree.chart.ChartUtils.writeBufferedImageAsPNG(out, image);
            }
            java.nio.file.Files.delete(f);
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(double[] v, boolean skipFirst) {
        double[] s = Arrays.copyOfRange(v, skipFirst ? 1 : 0, v.length);
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
