package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** The JSON is what databind wrote before the request went streaming (one-element sets: databind leaves sets unsorted). */
    @Test
    void theJsonIsTheShapeDatabindWrote() throws Exception {
        AnalysisSettings settings = new AnalysisSettings(true, 1e-3, 1e-6, false, -3L, 0.5, Double.NaN, Set.of(4),
                Set.of(), false, 1e-6);
        List<Rule> rules = List.of(new Rule("OV", "0-3", null, List.of(new Limit("trace", null, -1.5, null))),
                new Rule("QK", null, null, List.of()));
        for (AnalysisRequest request : List.of(
                AnalysisRequest.of(Path.of("/m/\u00e9 \"q\""), settings, Path.of("/b"), Path.of("/o"), rules, true),
                AnalysisRequest.of(Path.of("/m"), AnalysisSettings.defaults(), null, Path.of("/o"), null, false))) {
            String json = AnalysisRequests.toJson(request);
            assertEquals(new ObjectMapper().writeValueAsString(request), json);
            assertEquals(json, AnalysisRequests.toJson(AnalysisRequests.fromJson(json)));
            assertTrue(!json.contains("\n"), "one line, for standard input");
        }
    }

    @Test
    void layerAndHeadSetsAreWrittenSorted() {
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings settings = new AnalysisSettings(true, 1e-3, 1e-6, false, 1L, 0.5, 3, Set.of(9, 2, 5, 0),
                Set.of(7, 1, 3), false, 1e-6);
        String json = AnalysisRequests.toJson(AnalysisRequest.of(Path.of("/m"), settings, null, Path.of("/o"), null, false));
        assertTrue(json.contains("\"layers\":[0,2,5,9],\"heads\":[1,3,7]"), json);
    }

    /** A request the other side wrote differently (another version) is the one paragraph, whatever the difference. */
    @Test
    void unknownMissingOrMistypedFieldsAreTheVersionParagraph() {
        String good = AnalysisRequests.toJson(AnalysisRequest.of(Path.of("/m"), AnalysisSettings.defaults(), null,
                Path.of("/o"), List.of(new Rule("OV", null, null, List.of(new Limit("trace", 1.0, null, null)))), false));
        List<String> bad = List.of(
                good.replace("\"charts\":false", "\"charts\":false,\"extra\":1"),
                good.replace("\"foldNorms\":true,", ""),
                good.replace("\"foldNorms\":true", "\"foldNorms\":\"yes\""),
                good.replace("\"controlSeed\":42", "\"controlSeed\":4.5"),
                good.replace("\"controlSeed\":42", "\"controlSeed\":99999999999999999999"),
                good.replace("\"layers\":[]", "\"layers\":[\"a\"]"),
                good.replace("\"metric\":\"trace\"", "\"metric\":\"trace\",\"minimal\":2"),
                good.replace("\"model\":\"/m\"", "\"model\":\"/m\",\"model\":\"/n\""),
                good.replace("\"settings\":{", "\"settings\":[{").replace("},\"baseline\"", "}],\"baseline\""),
                good + " {}",
                "null",
                "");
        for (String json : bad) {
            assertTrue(!json.equals(good), "the replacement applied: " + json);
            SpectralException e = assertThrows(SpectralException.class, () -> AnalysisRequests.fromJson(json), json);
            assertTrue(e.getMessage().startsWith("The forked analysis could not read its request (")
                    && e.getMessage().endsWith("the plugin and spectral-core on its classpath are probably of different "
                    + "versions."), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
        }
    }
}
