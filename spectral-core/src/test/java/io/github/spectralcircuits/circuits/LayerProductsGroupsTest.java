package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.spectra.CircuitSpectra;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A layer taken a group of heads at a time (so that its products never sit whole in the heap) gives the
 * cores of the whole layer's products: the products are separable by columns.
 */
class LayerProductsGroupsTest {

    @ParameterizedTest(name = "H {0}, KV {1}, tied {2}")
    @CsvSource({"8, 8, true", "8, 2, false", "6, 3, false"})
    void groupsGiveTheWholeLayersCores(int heads, int kvHeads, boolean tied) {
        InMemoryTransformer m = RandomTransformers.random(11, 60, 24, 1, heads, kvHeads, 4, tied);
        SharedProducts shared = SharedProducts.of(EmbeddingGrams.compute(m), m.finalNormGain());
        LayerWeights raw = m.layer(0);
        // every gain a family may fold (query/key norms over all columns, an output norm), so that cutting a
        // group's columns must cut the column gains with them
        Random rnd = new Random(3);
        LayerWeights w = new LayerWeights(0, heads, kvHeads, 4, raw.attnNormGain(), raw.wQ(), raw.wK(), raw.wV(), raw.wO(),
                RandomTransformers.gains(rnd, heads * 4), RandomTransformers.gains(rnd, kvHeads * 4),
                RandomTransformers.gains(rnd, 24));
        double scale = 1.7;
        // the whole layer's products of the explicitly folded weights, gains left none
        LayerProducts whole = LayerProducts.raw(shared, LayerProducts.foldedWeights(w, scale));
        int group = heads / kvHeads;
        for (int kv = 0; kv < kvHeads; kv++) {
            LayerProducts one;
            try (SharedFactors factors = SharedFactors.of(shared)) {
                one = LayerProducts.folded(factors, w, scale, kv, kv + 1);
            }
            assertEquals(kv * group, one.firstHead());
            assertEquals((kv + 1) * group, one.endHead());
            for (int h = one.firstHead(); h < one.endHead(); h++) {
                HeadCores a = whole.head(h);
                HeadCores b = one.head(h);
                assertClose(a.qkEigenCore(), b.qkEigenCore());
                assertClose(a.qkSingularCore(), b.qkSingularCore());
                assertClose(a.ovEigenCore(), b.ovEigenCore());
                assertClose(a.ovSingularCore(), b.ovSingularCore());
                assertClose(a.rQ(), b.rQ());
                assertClose(a.rO(), b.rO());
                assertClose(whole.headFactors(h).queries(), one.headFactors(h).queries());
            }
            final LayerProducts only = one;
            int outside = (kv + 1) % kvHeads * group;
            assertThrows(IllegalArgumentException.class, () -> only.head(outside));
        }
    }

    /** More query columns than one group takes (16 x 72 > 1024): the analyzer's groups change no spectrum. */
    @ParameterizedTest(name = "tied {0}")
    @CsvSource({"true", "false"})
    void analyzerInGroupsMatchesTheWholeLayer(boolean tied) {
        int heads = 16;
        int dh = 72;
        assertEquals(14, LayerProducts.kvHeadsPerGroup(heads, heads, dh));
        InMemoryTransformer m = RandomTransformers.random(5, 200, 80, 2, heads, heads, dh, tied);
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        // observers see the layer's cores over all its groups, in head order, with the whole layer's weights
        List<List<HeadCores>> observed = new java.util.ArrayList<>();
        List<LayerWeights> observedWeights = new java.util.ArrayList<>();
        List<HeadSpectra> grouped = new SpectraAnalyzer(settings, null).analyze(m, List.of((lw, cores) -> {
            observed.add(cores);
            observedWeights.add(lw);
        })).heads();
        assertEquals(2, observed.size());
        SharedProducts shared = SharedProducts.of(EmbeddingGrams.compute(m), m.finalNormGain());
        int i = 0;
        for (int l = 0; l < 2; l++) {
            LayerWeights w = m.layer(l);
            LayerProducts whole = LayerProducts.folded(shared, w, 1.0);
            assertEquals(heads, observed.get(l).size());
            assertClose(LayerProducts.foldedWeights(w, 1.0).wQ(), observedWeights.get(l).wQ());
            assertEquals(heads * dh, observedWeights.get(l).wQ().numCols);
            for (int h = 0; h < heads; h++, i++) {
                HeadCores c = whole.head(h);
                HeadCores seen = observed.get(l).get(h);
                assertEquals(h, seen.head());
                assertClose(c.ovSingularCore(), seen.ovSingularCore());
                assertClose(c.rQ(), seen.rQ());
                HeadSpectra g = grouped.get(i);
                assertEquals(l, g.layer());
                assertEquals(h, g.head());
                double[] expected = CircuitSpectra.factored(200, c.ovEigenCore(), c.ovSingularCore(), settings).singularValues();
                double[] actual = g.ov().singularValues();
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], actual[k], 1e-12 * expected[0], "layer " + l + " head " + h + " sigma " + k);
                }
                double[] qk = CircuitSpectra.factored(200, c.qkEigenCore(), c.qkSingularCore(), settings).eigenvalues().re();
                for (int k = 0; k < qk.length; k++) {
                    assertEquals(qk[k], g.qk().eigenvalues().re()[k], 1e-12 * Math.abs(qk[0]), "QK re " + k);
                }
            }
        }
    }

    private static void assertClose(DMatrixRMaj a, DMatrixRMaj b) {
        double scale = 0;
        for (double x : a.data) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int k = 0; k < a.data.length; k++) {
            assertEquals(a.data[k], b.data[k], 1e-12 * scale);
        }
    }
}
