package io.github.spectralcircuits.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnalysisRequestsTest {
    @Test
    void everySettingAndRuleSurvivesTheTrip() {
        AnalysisSettings settings = new AnalysisSettings(false, 2e-3, 3e-7, true, 7L, 0.25, 2.5, Set.of(0, 3),
                Set.of(1), true, 1e-8);
        List<Rule> rules = List.of(
                new Rule("OV", "0-3", null, List.of(new Limit("effectiveRank", 4.0, null, null),
                        new Limit("spectralNorm", null, null, 0.05))),
                new Rule("QK", null, "2", List.of(new Limit("nearZeroRatio", null, 0.999, null))));
        AnalysisRequest request = AnalysisRequest.of(Path.of("/m/model dir"), settings, Path.of("/b/base.json"),
                Path.of("/o/spectral"), rules, true);

        AnalysisRequest back = AnalysisRequests.fromJson(AnalysisRequests.toJson(request));

        assertEquals(settings, back.settings());
        assertEquals(Path.of("/m/model dir"), back.modelPath());
        assertEquals(Path.of("/b/base.json"), back.baselinePath());
        assertEquals(Path.of("/o/spectral"), back.outputPath());
        assertTrue(back.charts());
        assertEquals(2, back.rules().size());
        Rule ov = back.rules().get(0);
        assertEquals("OV, layers 0-3, heads all", ov.selection());
        assertEquals("effectiveRank minimum 4", ov.getLimits().get(0).toString());
        assertEquals(0.05, ov.getLimits().get(1).getMaximumDriftFromBaseline());
        assertNull(ov.getLimits().get(1).getMinimum());
        assertEquals("QK, layers all, heads 2", back.rules().get(1).selection());
        assertEquals(0.999, back.rules().get(1).getLimits().get(0).getMaximum());
    }

    @Test
    void noRulesStaysNoRulesAndNoBaselineStaysNone() {
        AnalysisRequest request = AnalysisRequest.of(Path.of("/m"), AnalysisSettings.defaults(), null, Path.of("/o"),
                null, false);
        AnalysisRequest back = AnalysisRequests.fromJson(AnalysisRequests.toJson(request));
        assertNull(back.rules());
        assertNull(back.baselinePath());
        assertEquals(AnalysisSettings.defaults(), back.settings());
    }

    @Test
    void anUnreadableRequestIsOneParagraph() {
        SpectralException e = assertThrows(SpectralException.class, () -> AnalysisRequests.fromJson("{\"model\": [1"));
        assertTrue(e.getMessage().startsWith("The forked analysis could not read its request"), e.getMessage());
    }
}
