package io.github.spectralcircuits.spectra;

import static io.github.spectralcircuits.testing.SpectrumAssertions.assertSameSpectrum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.circuits.DenseCircuits;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.circuits.GramFactor;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vocabulary matrices whose Gram is singular, as in real checkpoints (stories260k repeats 256 rows). */
class RankDeficientEmbeddingTest {
    private static final int V = 30;
    private static final int D = 12;

    @ParameterizedTest(name = "{0}, tied={1}, fold={2}")
    @CsvSource({
        "repeatedRows,true,true", "repeatedRows,false,false",
        "zeroColumn,true,true", "zeroColumn,true,false", "zeroColumn,false,true",
        "zeroUnembeddingColumn,false,true"})
    void factoredEqualsDenseWithASingularGram(String kind, boolean tied, boolean fold) {
        InMemoryTransformer random = RandomTransformers.random(23, V, D, 2, 4, 2, 3, tied);
        double[] wE = new double[V * D];
        double[] wUT = tied ? null : new double[V * D];
        for (int r = 0; r < V; r++) {
            for (int c = 0; c < D; c++) {
                wE[r * D + c] = random.embeddingAt(r, c);
                if (!tied) {
                    wUT[r * D + c] = random.unembeddingTAt(r, c);
                }
            }
        }
        switch (kind) {
            case "repeatedRows" -> {
                // 25 identical rows and 5 others: rank 6 < d = 12
                for (int r = 1; r < 25; r++) {
                    System.arraycopy(wE, 0, wE, r * D, D);
                }
            }
            case "zeroColumn" -> zeroColumn(wE, 5);
            default -> zeroColumn(wUT, 0);
        }
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            layers.add(random.layer(l));
        }
        InMemoryTransformer model = new InMemoryTransformer(random.info(), wE, wUT, random.finalNormGain(), layers);

        EmbeddingGrams grams = EmbeddingGrams.compute(model);
        GramFactor singular = kind.equals("zeroUnembeddingColumn") ? grams.factorU() : grams.factorE();
        assertEquals(GramFactor.Method.EIGEN_CLAMPED, singular.method(), "the singular Gram takes the fallback");

        AnalysisSettings settings = AnalysisSettings.defaults().withFoldNorms(fold);
        ModelSpectra spectra = new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(model);
        DenseCircuits dense = DenseCircuits.of(model, fold);
        for (HeadSpectra hs : spectra.heads()) {
            LayerWeights w = model.layer(hs.layer());
            String where = kind + " layer " + hs.layer() + " head " + hs.head();
            assertSameSpectrum(hs.qk(), CircuitSpectra.dense(dense.qk(w, hs.head()), 3, settings), 1e-9, where + " QK");
            assertSameSpectrum(hs.ov(), CircuitSpectra.dense(dense.ov(w, hs.head()), 3, settings), 1e-9, where + " OV");
        }
    }

    private static void zeroColumn(double[] m, int col) {
        for (int r = 0; r < V; r++) {
            m[r * D + col] = 0;
        }
    }
}
