package io.github.spectralcircuits.spectra;

import static io.github.spectralcircuits.testing.SpectrumAssertions.assertSameSpectrum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.circuits.DenseCircuits;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real trained model in the project (V = 512, 5 layers x 8 heads, 4 key/value heads, tied; 256
 * byte-fallback embedding rows, most of them nearly the same vector): factored spectra against the
 * materialised 512 x 512 circuits, folded and raw. Each dense circuit costs about two CPU-seconds, so the
 * unit suite compares the last head folded and the first raw; Stories260kSpectraIT compares all forty.
 */
class Stories260kSpectraTest {
    static final Path MODEL = Path.of("../examples/stories260k");

    @ParameterizedTest(name = "foldNorms={0}")
    @ValueSource(booleans = {true, false})
    void factoredEqualsDenseOnTheLastHeadFoldedAndTheFirstRaw(boolean fold) {
        assertFactoredEqualsDense(fold, i -> i == (fold ? 39 : 0));
    }

    /**
     * Analyses all forty heads (factored) and compares the heads (indices in layer-major order) that
     * {@code dense} accepts with their dense circuits: eigenvalues, singular values, every statistic.
     */
    static void assertFactoredEqualsDense(boolean fold, IntPredicate dense) {
        AnalysisSettings settings = AnalysisSettings.defaults().withFoldNorms(fold);
        try (TransformerModel model = ModelLoader.open(MODEL)) {
            assertEquals(512, model.info().vocabSize());
            ModelSpectra spectra = new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(model);
            assertEquals(40, spectra.heads().size());
            DenseCircuits circuits = DenseCircuits.of(model, fold);
            List<LayerWeights> layers = IntStream.range(0, 5).mapToObj(model::layer).toList();
            for (HeadSpectra hs : spectra.heads()) {
                assertEquals(hs.head() / 2, hs.kvHead());
            }
            // The dense 512 x 512 decompositions dominate; they are independent, so use both cores.
            int[] compared = IntStream.range(0, spectra.heads().size()).filter(dense).toArray();
            assertTrue(compared.length > 0);
            IntStream.range(0, 2 * compared.length).parallel().forEach(i -> {
                HeadSpectra hs = spectra.heads().get(compared[i / 2]);
                LayerWeights w = layers.get(hs.layer());
                String where = "fold=" + fold + " layer " + hs.layer() + " head " + hs.head();
                if (i % 2 == 0) {
                    assertSameSpectrum(hs.qk(), CircuitSpectra.dense(circuits.qk(w, hs.head()), 8, settings), 1e-9, where + " QK");
                } else {
                    assertSameSpectrum(hs.ov(), CircuitSpectra.dense(circuits.ov(w, hs.head()), 8, settings), 1e-9, where + " OV");
                }
            });
            // Sanity of the real model: trained OV circuits are far from rank-deficient noise.
            assertTrue(spectra.heads().stream().allMatch(h -> h.ov().stats().numericalRank() == 8));
        }
    }

    @Test
    void theFactorOfItsEmbeddingGramReproducesIt() {
        try (TransformerModel model = ModelLoader.open(MODEL)) {
            EmbeddingGrams g = EmbeddingGrams.compute(model);
            assertTrue(g.tied());
            var back = g.factorE().gram();
            double scale = org.ejml.dense.row.CommonOps_DDRM.elementMaxAbs(g.gramE());
            for (int i = 0; i < 64; i++) {
                for (int j = 0; j < 64; j++) {
                    assertEquals(g.gramE().get(i, j), back.get(i, j), 1e-12 * scale);
                }
            }
        }
    }
}
