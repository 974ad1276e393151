package io.github.spectralcircuits.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a report written earlier still describes a build, and what it says when it does not. */
class ReportFreshnessTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();
    private static SpectralReport report;
    private static AnalysisSettings settings;

    @TempDir
    Path dir;

    @BeforeAll
    static void analyseTwoHeadsWithTheirControl() {
        settings = new AnalysisSettings(true, 1e-3, 1e-6, true, 42L, 0.5, 3.0, Set.of(0), Set.of(0, 1), false, 1e-6);
        report = SpectralAnalysis.run(MODEL, settings, null, ProgressListener.NONE);
    }

    private static List<String> differences(SpectralReport r, Path model, AnalysisSettings now, ReportFreshness.Use use) {
        return ReportFreshness.differences(r, model, now, use, () -> ReportFreshness.fingerprintOf(model));
    }

    @Test
    void aReportOfTheSameModelSettingsAndWeightsIsCurrentAndTheWeightsAreAskedForLast() {
        assertEquals(List.of(), differences(report, MODEL, settings, ReportFreshness.Use.WHOLE));
        AtomicInteger asked = new AtomicInteger();
        List<String> d = ReportFreshness.differences(report, MODEL, settings.withFoldNorms(false),
                ReportFreshness.Use.TRAINED, () -> {
                    asked.incrementAndGet();
                    return report.fingerprint();
                });
        assertEquals(1, d.size());
        assertEquals(0, asked.get(), "no need to read the weights once a setting differs");
    }

    @Test
    void aSettingThatShapesTheTrainedSpectraMakesItStale() {
        List<String> fold = differences(report, MODEL, settings.withFoldNorms(false), ReportFreshness.Use.TRAINED);
        assertEquals(List.of("{{foldNorms}} was true for it and is false now"), fold);

        AnalysisSettings allLayers = new AnalysisSettings(true, 1e-3, 1e-6, true, 42L, 0.5, 3.0, Set.of(), Set.of(0, 1),
                false, 1e-6);
        assertEquals(List.of("{{layers}} was [0] for it and is all now"),
                differences(report, MODEL, allLayers, ReportFreshness.Use.TRAINED));

        AnalysisSettings tolerance = new AnalysisSettings(true, 1e-2, 1e-6, true, 42L, 0.5, 3.0, Set.of(0), Set.of(0, 1),
                false, 1e-6);
        assertEquals(1, differences(report, MODEL, tolerance, ReportFreshness.Use.TRAINED).size());
    }

    @Test
    void theControlsSettingsMatterToAPageButNotToTheRules() {
        AnalysisSettings otherSeed = new AnalysisSettings(true, 1e-3, 1e-6, true, 7L, 0.5, 3.0, Set.of(0), Set.of(0, 1),
                false, 1e-6);
        assertEquals(List.of(), differences(report, MODEL, otherSeed, ReportFreshness.Use.TRAINED));
        assertEquals(List.of("{{controlSeed}} was 42 for it and is 7 now"),
                differences(report, MODEL, otherSeed, ReportFreshness.Use.WHOLE));

        SpectralReport noControl = SpectralAnalysis.run(MODEL, settings.withControl(false), null, ProgressListener.NONE);
        assertEquals(List.of(), differences(noControl, MODEL, settings, ReportFreshness.Use.TRAINED));
        assertEquals(List.of("it has no random control, and control is on"),
                differences(noControl, MODEL, settings, ReportFreshness.Use.WHOLE));
    }

    @Test
    void changedWeightsMakeItStaleAndSoDoesAReportWithoutAFingerprint() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(MODEL.resolve("config.json"), copy.resolve("config.json"));
        Files.copy(MODEL.resolve("model.safetensors"), copy.resolve("model.safetensors"));
        SpectralReport ofCopy = SpectralAnalysis.run(copy, settings, null, ProgressListener.NONE);
        assertEquals(List.of(), differences(ofCopy, copy, settings, ReportFreshness.Use.TRAINED));

        WeightsFingerprintTest.flipALowBit(copy, "model.layers.0.self_attn.v_proj.weight");
        List<String> d = differences(ofCopy, copy, settings, ReportFreshness.Use.TRAINED);
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("the weights changed since: their fingerprint was "
                + ofCopy.fingerprint().describe()), d.get(0));

        SpectralReport old = ofCopy.withFingerprint(null);
        assertTrue(differences(old, copy, settings, ReportFreshness.Use.TRAINED).get(0).contains("no fingerprint"));
    }

    @Test
    void aReportOfAnotherModelIsStale() {
        List<String> d = differences(report, dir, settings, ReportFreshness.Use.TRAINED);
        assertEquals(List.of("it is of the model " + MODEL + ", not " + dir), d);
        WeightsFingerprint f = report.fingerprint();
        assertTrue(f.describe().matches("[0-9a-f]{12} \\(27 tensors, [0-9.]+ (MB|bytes)\\)"), f.describe());
    }
}
