package io.github.spectralcircuits.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineDriftTest {
    static final ModelInfo INFO = new ModelInfo("m", "LlamaForCausalLM", 100, 16, 2, 2, 1, 4, true, "F32", 0.02);
    static final AnalysisSettings SETTINGS = AnalysisSettings.defaults();

    static Baseline baseline(ModelInfo info, AnalysisSettings settings, ModelSpectra trained, String name) {
        return new Baseline(name, info, settings, trained);
    }

    @Test
    void driftAgainstItselfIsExactlyZero() {
        ModelSpectra m = SpectralComparatorTest.model(2, 0.7, 0.6);
        BaselineDrift d = BaselineDrifts.compute(INFO, SETTINGS, m, baseline(INFO, SETTINGS, m, "self.json"));
        assertEquals(4, d.heads().size());
        for (HeadDrift h : d.heads()) {
            for (CircuitType t : CircuitType.values()) {
                assertEquals(CircuitStats.METRICS.size(), h.circuit(t).size());
                for (MetricDrift md : h.circuit(t)) {
                    assertEquals(0.0, md.absolute(), 0.0, md.toString());
                    assertEquals(0.0, md.relative(), 0.0, md.toString());
                }
            }
        }
        assertEquals("self.json", d.baseline());
    }

    @Test
    void driftAgainstAPerturbedCopyNamesThePerturbedHead() {
        ModelSpectra now = SpectralComparatorTest.model(2, 0.7, 0.6);
        List<HeadSpectra> old = new ArrayList<>(now.heads());
        HeadSpectra h = old.get(2); // layer 1, head 0
        old.set(2, new HeadSpectra(h.layer(), h.head(), h.kvHead(), h.qk(),
                SyntheticSpectra.withStat(h.ov(), "spectralNorm", h.ov().stats().spectralNorm() / 1.25)));
        BaselineDrift d = BaselineDrifts.compute(INFO, SETTINGS, now, baseline(INFO, SETTINGS, new ModelSpectra(old), "b"));
        MetricDrift sn = d.drift(1, 0, CircuitType.OV, "spectralNorm").orElseThrow();
        assertEquals(0.25, sn.relative(), 1e-12);
        assertEquals(h.ov().stats().spectralNorm() * 0.2, sn.absolute(), 1e-12);
        assertEquals(0.0, d.drift(1, 0, CircuitType.QK, "spectralNorm").orElseThrow().absolute(), 0.0);
        // the perturbed head is the only one that moved
        List<String> moved = new ArrayList<>();
        for (HeadDrift hd : d.heads()) {
            for (CircuitType t : CircuitType.values()) {
                for (MetricDrift md : hd.circuit(t)) {
                    if (md.absolute() != 0) {
                        moved.add(hd.layer() + "." + hd.head() + " " + t + " " + md.metric());
                    }
                }
            }
        }
        assertEquals(List.of("1.0 OV spectralNorm"), moved);
        assertTrue(d.drift(5, 0, CircuitType.OV, "spectralNorm").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> d.drift(1, 0, CircuitType.OV, "nonsense"));
    }

    @Test
    void relativeDriftFromZeroIsUndefined() {
        MetricDrift d = MetricDrift.of("trace", 0, 2);
        assertNull(d.relative());
        assertEquals(Double.POSITIVE_INFINITY, d.relativeMagnitude());
        assertEquals(0.0, MetricDrift.of("trace", 0, 0).relative());
        assertEquals(-0.5, MetricDrift.of("trace", -2, -3).relative(), 0.0);
    }

    @Test
    void baselineOfAnotherShapeIsAClearError() {
        ModelSpectra m = SpectralComparatorTest.model(2, 0.7, 0.6);
        ModelInfo other = new ModelInfo("m", "LlamaForCausalLM", 100, 16, 2, 2, 1, 8, true, "F32", 0.02);
        SpectralException e = assertThrows(SpectralException.class,
                () -> BaselineDrifts.compute(INFO, SETTINGS, m, baseline(other, SETTINGS, m, "old.json")));
        assertTrue(e.getMessage().contains("old.json"), e.getMessage());
        assertTrue(e.getMessage().contains("dHead 8 in the baseline, 4 now"), e.getMessage());
    }

    @Test
    void baselineMissingHeadsIsAClearError() {
        ModelSpectra m = SpectralComparatorTest.model(2, 0.7, 0.6);
        ModelSpectra partial = new ModelSpectra(m.heads().subList(0, 2));
        SpectralException e = assertThrows(SpectralException.class,
                () -> BaselineDrifts.compute(INFO, SETTINGS, m, baseline(INFO, SETTINGS, partial, "old.json")));
        assertTrue(e.getMessage().contains("1.0, 1.1"), e.getMessage());
    }

    @Test
    void baselineUnderOtherSettingsIsAClearError() {
        ModelSpectra m = SpectralComparatorTest.model(2, 0.7, 0.6);
        SpectralException e = assertThrows(SpectralException.class, () -> BaselineDrifts.compute(INFO, SETTINGS, m,
                baseline(INFO, SETTINGS.withFoldNorms(false), m, "old.json")));
        assertTrue(e.getMessage().contains("foldNorms false in the baseline, true now"), e.getMessage());
        assertThrows(SpectralException.class, () -> BaselineDrifts.compute(INFO, SETTINGS, m,
                baseline(INFO, SETTINGS, null, "old.json")));
    }
}
