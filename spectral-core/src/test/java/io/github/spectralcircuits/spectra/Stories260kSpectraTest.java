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
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real trained model in the project (V = 512, 5 layers x 8 heads, 4 key/value heads, tied; 256
 * byte-fallback embedding rows, most of them nearly the same vector): factored spectra against the
 * materialised 512 x 512 circuits, folded and raw. A dense decomposition costs about two CPU-seconds per
 * circuit, so the unit suite checks every head against invariants of its dense circuit that need none (the
 * trace, the Frobenius norm), and Stories260kSpectraIT compares all forty heads' spectra with dense
 * decompositions.
 */
class Stories260kSpectraTest {
    static final Path MODEL = Path.of("../examples/stories260k");

    /**
     * Every head, folded and raw: its circuits have rank at most d_head = 8, so the factored path's eight
     * eigenvalues are all the nonzero ones and sum to the dense circuit's trace (their imaginary parts to 0),
     * and its eight singular values' squares sum to the dense circuit's squared Frobenius norm.
     */
    @ParameterizedTest(name = "foldNorms={0}")
    @ValueSource(booleans = {true, false})
    void everyHeadsSpectrumHasItsDenseCircuitsTraceAndFrobeniusNorm(boolean fold) {
        AnalysisSettings settings = AnalysisSettings.defaults().withFoldNorms(fold);
        try (TransformerModel model = ModelLoader.open(MODEL)) {
            ModelSpectra spectra = new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(model);
            assertEquals(40, spectra.heads().size());
            DenseCircuits circuits = DenseCircuits.of(model, fold);
            for (HeadSpectra hs : spectra.heads()) {
                assertEquals(hs.head() / 2, hs.kvHead());
                LayerWeights w = model.layer(hs.layer());
                String where = "fold=" + fold + " layer " + hs.layer() + " head " + hs.head();
                assertInvariants(hs.qk(), circuits.qk(w, hs.head()), where + " QK");
                assertInvariants(hs.ov(), circuits.ov(w, hs.head()), where + " OV");
            }
            assertTrue(spectra.heads().stream().allMatch(h -> h.ov().stats().numericalRank() == 8));
        }
    }

    private static void assertInvariants(CircuitSpectrum factored, DMatrixRMaj dense, String where) {
        assertEquals(8, factored.eigenvalues().re().length, where);
        double re = 0;
        double im = 0;
        double magnitude = 0;
        for (int i = 0; i < 8; i++) {
            re += factored.eigenvalues().re()[i];
            im += factored.eigenvalues().im()[i];
            magnitude += Math.hypot(factored.eigenvalues().re()[i], factored.eigenvalues().im()[i]);
        }
        double frobenius2 = 0;
        for (double v : dense.data) {
            frobenius2 += v * v;
        }
        double squares = 0;
        for (double sigma : factored.singularValues()) {
            squares += sigma * sigma;
        }
        assertTrue(frobenius2 > 0, where + ": a dead circuit");
        double tol = 1e-9 * (magnitude + Math.sqrt(frobenius2));
        assertEquals(CommonOps_DDRM.trace(dense), re, tol, where + ": the eigenvalues' sum is the trace");
        assertEquals(0.0, im, tol, where + ": the eigenvalues' imaginary parts cancel");
        assertEquals(frobenius2, squares, 1e-9 * frobenius2, where + ": the squared singular values' sum is |M|_F^2");
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
            double scale = CommonOps_DDRM.elementMaxAbs(g.gramE());
            for (int i = 0; i < 64; i++) {
                for (int j = 0; j < 64; j++) {
                    assertEquals(g.gramE().get(i, j), back.get(i, j), 1e-12 * scale);
                }
            }
        }
    }
}
