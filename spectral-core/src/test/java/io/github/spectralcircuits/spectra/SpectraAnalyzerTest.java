package io.github.spectralcircuits.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpectraAnalyzerTest {
    private final List<String> log = new ArrayList<>();

    private static AnalysisSettings settings(Set<Integer> layers, Set<Integer> heads, boolean verifyDense, double denseTolerance) {
        AnalysisSettings d = AnalysisSettings.defaults();
        return new AnalysisSettings(d.foldNorms(), d.nearZeroTolerance(), d.rankTolerance(), false, d.controlSeed(),
                d.highRankFraction(), d.zThreshold(), layers, heads, verifyDense, denseTolerance);
    }

    @Test
    void everyHeadLayerMajorWithProgressPerLayer() {
        InMemoryTransformer model = RandomTransformers.random(1, 25, 8, 3, 4, 2, 2, true);
        ModelSpectra s = new SpectraAnalyzer(AnalysisSettings.defaults(), log::add).analyze(model);
        assertEquals(12, s.heads().size());
        for (int i = 0; i < 12; i++) {
            assertEquals(i / 4, s.heads().get(i).layer());
            assertEquals(i % 4, s.heads().get(i).head());
            assertEquals((i % 4) / 2, s.heads().get(i).kvHead());
        }
        assertEquals(3, log.stream().filter(m -> m.startsWith("Layer ")).count(), log.toString());
    }

    @Test
    void layerAndHeadFiltersSelectHeads() {
        InMemoryTransformer model = RandomTransformers.random(2, 25, 8, 3, 4, 4, 2, false);
        ModelSpectra all = new SpectraAnalyzer(AnalysisSettings.defaults(), log::add).analyze(model);
        ModelSpectra some = new SpectraAnalyzer(settings(Set.of(1), Set.of(0, 2), false, 1e-6), log::add).analyze(model);
        assertEquals(2, some.heads().size());
        assertEquals(List.of(1, 1), some.heads().stream().map(HeadSpectra::layer).toList());
        assertEquals(List.of(0, 2), some.heads().stream().map(HeadSpectra::head).toList());
        assertEquals(all.heads().get(6).ov().stats().spectralNorm(), some.heads().get(1).ov().stats().spectralNorm(), 0);
    }

    @Test
    void filtersNamingMissingLayersOrHeadsAreRejected() {
        InMemoryTransformer model = RandomTransformers.random(2, 25, 8, 3, 4, 4, 2, false);
        SpectralException e = assertThrows(SpectralException.class,
                () -> new SpectraAnalyzer(settings(Set.of(3), Set.of(), false, 1e-6), log::add).analyze(model));
        assertTrue(e.getMessage().contains("layers [3]") && e.getMessage().contains("0-2"), e.getMessage());
    }

    @Test
    void verifyDenseAgreesAndReportsTheLargestDisagreement() {
        InMemoryTransformer model = RandomTransformers.random(3, 30, 9, 2, 3, 3, 3, false);
        new SpectraAnalyzer(settings(Set.of(), Set.of(), true, 1e-9), log::add).analyze(model);
        assertTrue(log.stream().anyMatch(m -> m.startsWith("verifyDense: factored and dense spectra agree, largest relative disagreement")),
                log.toString());
    }

    @Test
    void verifyDenseFailsBeyondItsTolerance() {
        // No two decompositions agree to the last bit, so a zero tolerance must fail, naming the worst circuit.
        InMemoryTransformer model = RandomTransformers.random(3, 30, 9, 2, 3, 3, 3, false);
        SpectralException e = assertThrows(SpectralException.class,
                () -> new SpectraAnalyzer(settings(Set.of(), Set.of(), true, 0.0), log::add).analyze(model));
        assertTrue(e.getMessage().contains("largest relative disagreement") && e.getMessage().contains("layer "), e.getMessage());
    }

    @Test
    void aDeadHeadGivesZeroSpectraWithoutNaN() {
        InMemoryTransformer random = RandomTransformers.random(4, 25, 8, 1, 2, 2, 3, true);
        LayerWeights w = random.layer(0);
        for (int i = 0; i < 8; i++) {
            for (int c = 3; c < 6; c++) {
                w.wQ().set(i, c, 0);
                w.wV().set(i, c, 0);
            }
        }
        ModelSpectra s = new SpectraAnalyzer(AnalysisSettings.defaults(), log::add).analyze(random);
        for (CircuitSpectrum c : List.of(s.heads().get(1).qk(), s.heads().get(1).ov())) {
            assertEquals(0.0, c.stats().spectralNorm());
            assertEquals(0, c.stats().numericalRank());
            assertEquals(1.0, c.stats().nearZeroRatio());
            assertEquals(0.0, c.stats().positivity());
        }
        assertEquals(3, s.heads().get(0).ov().stats().numericalRank(), "the live head is untouched");
    }
}
