package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.circuits.HeadCores;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.circuits.SharedProducts;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.spectra.CircuitSpectra;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One layer of the analyzer's loop with clocks around its stages, shared by the benchmarks that time
 * the per-layer work: reading the layer, the layer products, the heads' cores (in parallel over heads,
 * as the analyzer does) and their spectra and statistics.
 */
record LayerStageClock(long loadNanos, long productsNanos, long coresNanos, long spectraNanos, int heads) {

    static LayerStageClock time(TransformerModel model, SharedProducts shared, int layer, AnalysisSettings settings) {
        int vocab = model.info().vocabSize();
        long a = System.nanoTime();
        LayerWeights w = model.layer(layer);
        long b = System.nanoTime();
        LayerProducts p = LayerProducts.folded(shared, w, 1.0);
        long c = System.nanoTime();
        List<HeadCores> hc = IntStream.range(0, model.info().nHeads()).parallel().mapToObj(p::head).toList();
        long d = System.nanoTime();
        hc.parallelStream().forEach(x -> {
            CircuitSpectra.factored(vocab, x.qkEigenCore(), x.qkSingularCore(), settings);
            CircuitSpectra.factored(vocab, x.ovEigenCore(), x.ovSingularCore(), settings);
        });
        long e = System.nanoTime();
        return new LayerStageClock(b - a, c - b, d - c, e - d, hc.size());
    }

    long totalNanos() {
        return loadNanos + productsNanos + coresNanos + spectraNanos;
    }
}
