package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.AnalysisSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpectralAnalysisTest {
    private static final Path MODEL = Path.of("../examples/stories260k");

    @Test
    void runsTheTrainedModelOfADirectory() {
        List<String> log = new ArrayList<>();
        SpectralReport r = SpectralAnalysis.run(MODEL, AnalysisSettings.defaults(), null, log::add);
        assertEquals(1, r.schemaVersion());
        assertEquals("LlamaForCausalLM", r.model().architecture());
        assertEquals(512, r.model().vocabSize());
        assertEquals(40, r.trained().heads().size());
        assertEquals(AnalysisSettings.defaults(), r.settings());
        assertEquals(40, r.control().heads().size(), "the control is on by default");
        assertNotNull(r.comparison());
        // 5 layers of the trained model, then 5 of the control
        assertEquals(10, log.stream().filter(m -> m.startsWith("Layer ")).count(), log.toString());
        assertTrue(r.trained().heads().stream().allMatch(h -> h.qk().dimension() == 512 && h.ov().rankBound() == 8));
    }

    @Test
    void honoursLayerAndHeadFilters() {
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings some = new AnalysisSettings(d.foldNorms(), d.nearZeroTolerance(), d.rankTolerance(), d.control(),
                d.controlSeed(), d.highRankFraction(), d.zThreshold(), Set.of(0, 4), Set.of(7), false, d.denseTolerance());
        SpectralReport r = SpectralAnalysis.run(MODEL, some, null, ProgressListener.NONE);
        assertEquals(List.of("0/7", "4/7"), r.trained().heads().stream().map(h -> h.layer() + "/" + h.head()).toList());
        assertEquals(3, r.trained().heads().get(0).kvHead());
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        SpectralException e = assertThrows(SpectralException.class,
                () -> SpectralAnalysis.run(Path.of("no-such-model-dir"), AnalysisSettings.defaults(), null, null));
        assertTrue(e.getMessage().contains("no-such-model-dir"), e.getMessage());
    }
}
