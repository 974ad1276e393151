package io.github.spectralcircuits.spectra;

import static io.github.spectralcircuits.testing.SpectrumAssertions.assertSameSpectrum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.circuits.DenseCircuits;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The factored method against materialised V x V circuits on random small models. */
class FactoredVersusDenseTest {

    static Stream<Arguments> models() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (boolean tied : new boolean[] {true, false}) {
            for (boolean fold : new boolean[] {true, false}) {
                // multi-head (KV = H) and grouped-query (KV < H); d not a multiple of the Gram tile
                b.add(Arguments.of(tied, fold, 4, 4, 3, 13));
                b.add(Arguments.of(tied, fold, 6, 2, 4, 18));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "tied={0} fold={1} H={2} KV={3} dh={4} d={5}")
    @MethodSource("models")
    void factoredSpectraEqualDenseOnes(boolean tied, boolean fold, int nHeads, int nKv, int dHead, int d) {
        int vocab = 37;
        InMemoryTransformer model = RandomTransformers.random(17L * nHeads + dHead + (tied ? 1 : 0), vocab, d, 2,
                nHeads, nKv, dHead, tied);
        AnalysisSettings settings = AnalysisSettings.defaults().withFoldNorms(fold);
        ModelSpectra spectra = new SpectraAnalyzer(settings, ProgressListener.NONE).analyze(model);
        assertEquals(2 * nHeads, spectra.heads().size());

        DenseCircuits dense = DenseCircuits.of(model, fold);
        for (HeadSpectra hs : spectra.heads()) {
            LayerWeights w = model.layer(hs.layer());
            assertEquals(hs.head() / (nHeads / nKv), hs.kvHead(), "grouped-query key/value head");
            String where = "layer " + hs.layer() + " head " + hs.head();
            assertEquals(dHead, hs.qk().eigenvalues().re().length);
            assertEquals(dHead, hs.ov().singularValues().length);
            assertSameSpectrum(hs.qk(), CircuitSpectra.dense(dense.qk(w, hs.head()), dHead, settings), 1e-9, where + " QK");
            assertSameSpectrum(hs.ov(), CircuitSpectra.dense(dense.ov(w, hs.head()), dHead, settings), 1e-9, where + " OV");
        }
    }

    @Test
    void foldingChangesTheSpectraOfAModelWithNonUnitGains() {
        InMemoryTransformer model = RandomTransformers.random(5, 30, 10, 1, 2, 2, 3, false);
        ModelSpectra folded = new SpectraAnalyzer(AnalysisSettings.defaults(), ProgressListener.NONE).analyze(model);
        ModelSpectra raw = new SpectraAnalyzer(AnalysisSettings.defaults().withFoldNorms(false), ProgressListener.NONE).analyze(model);
        assertNotEquals(folded.heads().get(0).ov().stats().spectralNorm(), raw.heads().get(0).ov().stats().spectralNorm(), 1e-6);
        assertNotEquals(folded.heads().get(0).qk().stats().spectralNorm(), raw.heads().get(0).qk().stats().spectralNorm(), 1e-6);
    }
}
