package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.circuits.HeadCores;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.circuits.SharedFactors;
import io.github.spectralcircuits.circuits.SharedProducts;
import io.github.spectralcircuits.linalg.NativeBlas;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.pipeline.MemoryUse;
import io.github.spectralcircuits.spectra.CircuitSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The trained model's stages on a large checkpoint (BigShapes), each with its multiply-add count and rate
 * (G multiply-adds per second, against the ~60 G/s OpenBLAS reaches on this machine's two cores), then the
 * control as the analysis runs it, and the ratio of the two: what the analysis spends where at 7B-13B shapes.
 * Arguments: {@code modelDir}. The kernel is chosen as the analysis chooses it ({@link NativeBlas#activateFor});
 * {@code -Dspectral.nativeBlas=false} times the own kernels.
 */
public final class ScaleBenchmark {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        try (TransformerModel model = ModelLoader.open(dir)) {
            ModelInfo m = model.info();
            double v = m.vocabSize();
            double d = m.dModel();
            boolean tied = m.tiedEmbeddings();
            System.out.println(NativeBlas.activateFor(v * d * d / 2 * (tied ? 1 : 4)));
            System.out.printf(Locale.ROOT, "%s: V %d, d %d, %d layers x %d heads (%d kv), d_head %d, %s; max heap %s%n",
                    dir.getFileName(), m.vocabSize(), m.dModel(), m.nLayers(), m.nHeads(), m.nKvHeads(), m.dHead(),
                    tied ? "tied" : "untied", io.github.spectralcircuits.pipeline.MemoryPlan.size(Runtime.getRuntime().maxMemory()));
            AnalysisSettings settings = AnalysisSettings.defaults();
            long t0 = System.nanoTime();
            EmbeddingGrams grams = EmbeddingGrams.compute(model);
            long t1 = System.nanoTime();
            SharedProducts shared = SharedProducts.of(grams, model.finalNormGain());
            grams = null;
            double gramWork = v * d * d / 2 * (tied ? 1 : 4);
            row("shared Grams (V d^2 / 2 each, untied + W_U W_E)", t1 - t0, gramWork);
            int q = m.nHeads() * m.dHead();
            int kv = m.nKvHeads() * m.dHead();
            double dh = m.dHead();
            double productWork = d * d / 2 * (2.0 * q + 2.0 * kv) + (tied ? 0 : d * d * kv);
            double qrWork = (2.0 * m.nHeads() + 2.0 * m.nKvHeads()) * (d * dh * dh - dh * dh * dh / 3);
            double coreWork = m.nHeads() * 2 * d * dh * dh;
            long load = 0;
            long products = 0;
            long cores = 0;
            long spectra = 0;
            int perGroup = LayerProducts.kvHeadsPerGroup(m.nHeads(), m.nKvHeads(), m.dHead());
            int group = m.nHeads() / m.nKvHeads();
            long layersStart = System.nanoTime();
            try (SharedFactors factors = SharedFactors.of(shared)) {
                for (int l = 0; l < m.nLayers(); l++) {
                    long a = System.nanoTime();
                    LayerWeights w = model.layer(l);
                    long b = System.nanoTime();
                    load += b - a;
                    for (int kv0 = 0; kv0 < m.nKvHeads(); kv0 += perGroup) {
                        int kv1 = Math.min(m.nKvHeads(), kv0 + perGroup);
                        long c = System.nanoTime();
                        LayerProducts p = LayerProducts.folded(factors, w, 1.0, kv0, kv1);
                        long e = System.nanoTime();
                        List<HeadCores> hc = IntStream.range(kv0 * group, kv1 * group).parallel().mapToObj(p::head).toList();
                        long f = System.nanoTime();
                        hc.parallelStream().forEach(x -> {
                            CircuitSpectra.factored(m.vocabSize(), x.qkEigenCore(), x.qkSingularCore(), settings);
                            CircuitSpectra.factored(m.vocabSize(), x.ovEigenCore(), x.ovSingularCore(), settings);
                        });
                        long g = System.nanoTime();
                        products += e - c;
                        cores += f - e; // includes the key/value heads' QRs made by LayerProducts.of: counted below
                        spectra += g - f;
                    }
                }
            }
            long trained = System.nanoTime() - t0;
            int layers = m.nLayers();
            row("layer reads (" + layers + " layers)", load, 0);
            row("layer products (incl. K/V QRs)", products, layers * (productWork + 2.0 * m.nKvHeads() * (d * dh * dh)));
            row("head QRs and cores", cores, layers * (qrWork - 2.0 * m.nKvHeads() * (d * dh * dh) + coreWork));
            row("spectra + statistics", spectra, 0);
            System.out.printf(Locale.ROOT, "%-48s %8.2f s (layers %.2f s, %.2f s per layer)%n", "trained total", trained / 1e9,
                    (System.nanoTime() - layersStart) / 1e9, (System.nanoTime() - layersStart) / 1e9 / layers);
            long c0 = System.nanoTime();
            ControlModel control = ControlModel.of(m, settings.controlSeed());
            new SpectraAnalyzer(settings, null).analyze(control);
            long control1 = System.nanoTime() - c0;
            System.out.printf(Locale.ROOT, "%-48s %8.2f s: control / trained %.2f, with control / trained-only %.2f%n",
                    "control (as the analysis runs it)", control1 / 1e9, control1 / (double) trained,
                    (trained + control1) / (double) trained);
            var plan = io.github.spectralcircuits.pipeline.MemoryPlan.of(m, settings);
            System.out.println(MemoryUse.summary() + "; MemoryPlan: stages' peak "
                    + io.github.spectralcircuits.pipeline.MemoryPlan.size(plan.peakBytes()) + ", needs "
                    + io.github.spectralcircuits.pipeline.MemoryPlan.size(plan.neededHeapBytes()) + ", fork heap "
                    + plan.recommendedHeap());
        }
    }

    private static void row(String what, long nanos, double multiplyAdds) {
        double s = nanos / 1e9;
        if (multiplyAdds > 0) {
            System.out.printf(Locale.ROOT, "%-48s %8.2f s  %7.1f G FMA  %5.1f G FMA/s%n", what, s, multiplyAdds / 1e9,
                    multiplyAdds / 1e9 / s);
        } else {
            System.out.printf(Locale.ROOT, "%-48s %8.2f s%n", what, s);
        }
    }
}
