package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.circuits.DiagonalProducts;
import io.github.spectralcircuits.circuits.HeadCores;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.circuits.SharedFactors;
import io.github.spectralcircuits.linalg.NativeBlas;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.model.control.EmbeddingSpectrum;
import io.github.spectralcircuits.spectra.CircuitSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The random control's stages alone at a checkpoint's shapes (no trained model is analysed): its embedding
 * spectrum, then per layer the draw of the projections, the group products, the heads' cores and the spectra,
 * then the control as the analysis runs it. Arguments: {@code modelDir [layers]} (layers: how many to time,
 * default all).
 */
public final class ControlBenchmark {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        ModelInfo m;
        try (TransformerModel model = ModelLoader.open(dir)) {
            m = model.info();
        }
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : m.nLayers();
        double v = m.vocabSize();
        double d = m.dModel();
        System.out.println(NativeBlas.activateFor(v * d * d / 2 * (m.tiedEmbeddings() ? 1 : 4)));
        AnalysisSettings settings = AnalysisSettings.defaults();
        ModelInfo shape = new ModelInfo(m.path(), m.architecture(), m.vocabSize(), m.dModel(), layers, m.nHeads(),
                m.nKvHeads(), m.dHead(), m.tiedEmbeddings(), m.dtype(), m.initializerRange());
        long t0 = System.nanoTime();
        ControlModel control = ControlModel.of(shape, settings.controlSeed());
        EmbeddingSpectrum s = control.embeddingSpectrum().orElseThrow();
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "%-40s %8.2f s%n", "embedding spectrum", (t1 - t0) / 1e9);
        long products = 0;
        long cores = 0;
        long spectra = 0;
        long l0 = System.nanoTime();
        try (SharedFactors factors = SharedFactors.diagonal(s.sigmaE(), s.sigmaU(), s.cross(), 1.0)) {
            for (int l = 0; l < layers; l++) {
                long c = System.nanoTime();
                DiagonalProducts p = DiagonalProducts.folded(factors, control.layerRows(l), 1.0);
                long e = System.nanoTime();
                List<HeadCores> hc = IntStream.range(0, m.nHeads()).mapToObj(p::head).toList();
                long f = System.nanoTime();
                hc.parallelStream().forEach(x -> {
                    CircuitSpectra.factored(m.vocabSize(), x.qkEigenCore(), x.qkSingularCore(), settings);
                    CircuitSpectra.factored(m.vocabSize(), x.ovEigenCore(), x.ovSingularCore(), settings);
                });
                long g = System.nanoTime();
                products += e - c;
                cores += f - e;
                spectra += g - f;
            }
        }
        long all = System.nanoTime() - l0;
        System.out.printf(Locale.ROOT, "%-40s %8.2f s%n", "draws, products and cores", products / 1e9);
        System.out.printf(Locale.ROOT, "%-40s %8.2f s%n", "(cores: in the products)", cores / 1e9);
        System.out.printf(Locale.ROOT, "%-40s %8.2f s%n", "spectra", spectra / 1e9);
        System.out.printf(Locale.ROOT, "%-40s %8.2f s (%.2f s per layer)%n", "layers", all / 1e9, all / 1e9 / layers);
        long c0 = System.nanoTime();
        new SpectraAnalyzer(settings, null).analyze(ControlModel.of(shape, settings.controlSeed()));
        long c1 = System.nanoTime() - c0;
        System.out.printf(Locale.ROOT, "%-40s %8.2f s (%.2f s per layer with the spectrum)%n", "control as analysed",
                c1 / 1e9, c1 / 1e9 / layers);
    }
}
