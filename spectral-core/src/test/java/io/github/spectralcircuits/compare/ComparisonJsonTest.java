package io.github.spectralcircuits.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison records survive a JSON round trip (a report is read back as a baseline). */
class ComparisonJsonTest {
    @Test
    void comparisonThinkingHeadsAndDriftRoundTrip() throws Exception {
        ModelSpectra trained = SpectralComparatorTest.model(1, 0.5, 0.5);
        ModelSpectra control = SpectralComparatorTest.model(3, 0.9, 0.8);
        AnalysisSettings s = AnalysisSettings.defaults();
        Comparison c = SpectralComparator.compare(trained, control, s);
        List<ThinkingHead> th = List.of(new ThinkingHead(1, 0, 1, CircuitType.OV, "nearZeroRatio", 0.5, 0.4, 0, null,
                List.of(new MetricDeviation("nearZeroRatio", 0.5, 0.4, 0, null))));
        BaselineDrift d = BaselineDrifts.compute(BaselineDriftTest.INFO, s, trained,
                BaselineDriftTest.baseline(BaselineDriftTest.INFO, s, control, "b.json"));
        SpectralReport r = new SpectralReport(1, BaselineDriftTest.INFO, s, trained, control, c, th, d, null);
        ObjectMapper om = new ObjectMapper();
        String json = om.writeValueAsString(r);
        JsonNode tree = om.readTree(json);
        assertTrue(tree.has("baselineDrift"));
        assertEquals(4, tree.at("/comparison/ov/heads").size());
        assertTrue(tree.at("/comparison/qk/rankHypothesis/rejectedByConstruction").asBoolean());
        SpectralReport back = om.readValue(json, SpectralReport.class);
        assertEquals(c.ov().eigenvalueModuli(), back.comparison().ov().eigenvalueModuli());
        assertEquals(c.qk().rankHypothesis().effectiveRankTest(), back.comparison().qk().rankHypothesis().effectiveRankTest());
        assertEquals(th, back.thinkingHeads());
        assertNull(back.thinkingHeads().get(0).zScore());
        assertEquals(d.drift(1, 1, CircuitType.QK, "trace"), back.baselineDrift().drift(1, 1, CircuitType.QK, "trace"));
    }
}
