package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.circuits.SharedProducts;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.model.control.ControlModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-layer stage alone (everything after the shared Gram): the shared products are computed
 * once, then every layer is analysed several times with clocks around reading the layer, the layer
 * products, the heads' cores and the spectra; wall and process CPU time (are both cores busy?).
 * Arguments: {@code modelDir [repeats] [trained|control]}.
 */
public final class LayerStageBenchmark {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean control = args.length > 2 && args[2].equals("control");
        AnalysisSettings settings = AnalysisSettings.defaults();
        try (TransformerModel opened = ModelLoader.open(dir)) {
            TransformerModel model = control ? ControlModel.of(opened.info(), 42) : opened;
            ModelInfo info = model.info();
            SharedProducts shared = SharedProducts.of(EmbeddingGrams.compute(model), model.finalNormGain());
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            String[] names = {"load", "products", "cores", "spectra", "layer", "layerCpu"};
            List<double[]> runs = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                for (int l = 0; l < info.nLayers(); l++) {
                    long cpu0 = os.getProcessCpuTime();
                    LayerStageClock clock = LayerStageClock.time(model, shared, l, settings);
                    long cpu1 = os.getProcessCpuTime();
                    runs.add(new double[] {clock.loadNanos() / 1e6, clock.productsNanos() / 1e6, clock.coresNanos() / 1e6,
                            clock.spectraNanos() / 1e6, clock.totalNanos() / 1e6, (cpu1 - cpu0) / 1e6});
                }
            }
            // Skip the first repeat (JIT warm-up) when there are several.
            int skip = repeats > 1 ? info.nLayers() : 0;
            System.out.printf(Locale.ROOT, "%s %s: per layer, median [min..max] ms over %d layer runs%n",
                    dir.getFileName(), control ? "control" : "trained", runs.size() - skip);
            for (int k = 0; k < names.length; k++) {
                final int kk = k;
                double[] v = runs.subList(skip, runs.size()).stream().mapToDouble(x -> x[kk]).sorted().toArray();
                System.out.printf(Locale.ROOT, "  %-9s %8.1f  [%.1f .. %.1f]%n", names[k], v[v.length / 2], v[0], v[v.length - 1]);
            }
        }
    }
}
