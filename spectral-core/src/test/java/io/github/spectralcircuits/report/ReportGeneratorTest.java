package io.github.spectralcircuits.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.check.RuleEvaluator;
import io.github.spectralcircuits.compare.BaselineDrift;
import io.github.spectralcircuits.compare.HeadDrift;
import io.github.spectralcircuits.compare.MetricDeviation;
import io.github.spectralcircuits.compare.MetricDrift;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.testing.SyntheticReports;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming writer (ReportGenerator) against the databind mapper it replaces on the write path: for real
 * reports of every shape, the same bytes, and ReportReader reads the file back to the same report. It guards
 * the two against drifting apart when the schema changes.
 */
class ReportGeneratorTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    private static SpectralReport withControl;
    private static SpectralReport allHeads;
    private static SpectralReport withBaselineAndChecks;

    /** Layers 0 and 2, heads 1, 3 and 5: non-empty filter sets, and a second of work. */
    private static AnalysisSettings filtered(boolean foldNorms, boolean control) {
        AnalysisSettings d = AnalysisSettings.defaults();
        return new AnalysisSettings(foldNorms, d.nearZeroTolerance(), d.rankTolerance(), control, 7L,
                d.highRankFraction(), 1.0, Set.of(2, 0), Set.of(5, 1, 3), false, d.denseTolerance());
    }

    @BeforeAll
    static void analyse() {
        withControl = SpectralAnalysis.run(MODEL, filtered(true, true), null, null);
        allHeads = SpectralAnalysis.run(MODEL, AnalysisSettings.defaults(), null, null);
        // the baseline has the same model and settings, but a synthetic model's spectra, so the drifts are not zero
        SpectralReport synthetic = SyntheticReports.stories260kLike(5, false);
        List<HeadSpectra> earlier = synthetic.trained().heads().stream()
                .filter(h -> withControl.trained().heads().stream()
                        .anyMatch(t -> t.layer() == h.layer() && t.head() == h.head()))
                .toList();
        Path baseline = ReportWriter.write(new SpectralReport(withControl.schemaVersion(), withControl.model(),
                withControl.settings(), new ModelSpectra(earlier), null, null, null, null, null), dir.resolve("baseline"));
        SpectralReport drifted = SpectralAnalysis.run(MODEL, filtered(true, true), baseline, null);
        List<Rule> rules = List.of(
                new Rule("OV", "0", null, List.of(new Limit("effectiveRank", 1.0, null, null))),
                new Rule("QK", null, "1-3", List.of(new Limit("spectralNorm", null, null, 1e-9))));
        withBaselineAndChecks = AnalysisJob.withChecks(drifted,
                RuleEvaluator.evaluate(rules, drifted.trained(), ReportReader.read(baseline).trained()));
    }

    /** The new writer's text and file equal the mapper's bytes; the file reads back to the same report. */
    private static void assertWrittenAsTheMapperWrites(SpectralReport report, String name) throws Exception {
        String mapper = ReportJson.MAPPER.writeValueAsString(report);
        assertEquals(mapper, ReportWriter.toJson(report));
        Path file = ReportWriter.write(report, dir.resolve(name));
        assertArrayEquals(ReportJson.MAPPER.writeValueAsBytes(report), Files.readAllBytes(file));
        // records holding arrays do not compare by value, so "the same report" is: it writes the same bytes again
        SpectralReport back = ReportReader.read(file);
        assertEquals(mapper, ReportJson.MAPPER.writeValueAsString(back));
        assertEquals(report.trained().heads().size(), back.trained().heads().size());
    }

    @Test
    void aReportWithControlComparisonAndThinkingHeads() throws Exception {
        assertNotNull(withControl.comparison());
        assertTrue(withControl.thinkingHeads() != null && withControl.thinkingHeads().isEmpty(),
                "6 heads are too few to test");
        assertNotNull(withControl.thinkingHeadsCriterion().note());
        assertEquals(6, withControl.trained().heads().size());
        assertWrittenAsTheMapperWrites(withControl, "control");
        assertTrue(!allHeads.thinkingHeads().isEmpty(), "stories260k's 40 heads have a thinking head");
        assertWrittenAsTheMapperWrites(allHeads, "thinking");
        assertTrue(ReportWriter.toJson(allHeads).contains("\"thinkingHeadsCriterion\" : {"));
        assertTrue(ReportWriter.toJson(withControl).contains("\"layers\" : [ 0, 2 ],"), "sets are written sorted");
    }

    @Test
    void aReportWithBaselineDriftAndChecks() throws Exception {
        assertNotNull(withBaselineAndChecks.baselineDrift());
        assertEquals(2, withBaselineAndChecks.checks().size());
        assertTrue(withBaselineAndChecks.checks().stream().anyMatch(c -> !c.passed()), "the drift rule fails");
        assertWrittenAsTheMapperWrites(withBaselineAndChecks, "baseline");
    }

    @Test
    void aReportWithoutItsOptionalParts() throws Exception {
        SpectralReport bare = SyntheticReports.stories260kLike(3, false);
        SpectralReport none = new SpectralReport(bare.schemaVersion(), bare.model(), bare.settings(), bare.trained(),
                null, null, null, null, null);
        assertWrittenAsTheMapperWrites(none, "bare");
        String json = ReportWriter.toJson(none);
        for (String absent : List.of("control", "comparison", "thinkingHeads", "baselineDrift", "checks")) {
            assertTrue(!json.contains("\n  \"" + absent + "\" :"), absent + " is left out when null");
        }
        assertWrittenAsTheMapperWrites(new SpectralReport(bare.schemaVersion(), bare.model(), bare.settings(),
                bare.trained(), null, null, List.of(), null, List.of()), "empty-lists");
    }

    @Test
    void nonFiniteNumbersNullsWithinAndOddStrings() throws Exception {
        var info = SyntheticReports.stories260kInfo();
        HeadSpectra odd = SyntheticReports.headWithRealEigenvalues(info, 0, 0,
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-300, 3, 4, 5, 6},
                new double[] {Double.NEGATIVE_INFINITY, 1, 2, 3, 4, 5, 6, 7.5e21});
        SpectralReport base = SyntheticReports.ofHeads(info, List.of(odd));
        ThinkingHead thinking = new ThinkingHead(1, 0, 0, CircuitType.OV, "positivity", Double.NaN, 0.5,
                Double.POSITIVE_INFINITY, null, List.of(new MetricDeviation("trace", 1, 0, 0, null)));
        BaselineDrift drift = new BaselineDrift("/b/\"quoted\" path \u00e9\u4e2d\ttab",
                List.of(new HeadDrift(0, 0, List.of(MetricDrift.of("trace", 0, 0), MetricDrift.of("mean", 0, 1)),
                        List.of(MetricDrift.of("std", Double.NaN, 1)))));
        SpectralReport report = new SpectralReport(base.schemaVersion(), base.model(), base.settings(), base.trained(),
                null, null, List.of(thinking), drift, List.of(new CheckResult("rule \\ \u0001", false, "line\nbreak")));
        assertNull(drift.heads().get(0).qk().get(1).relative(), "a drift from zero has no relative change");
        assertWrittenAsTheMapperWrites(report, "odd");
        String json = ReportWriter.toJson(report);
        assertTrue(json.contains("\"NaN\"") && json.contains("\"-Infinity\""), "non-finite numbers as strings");
        assertTrue(json.contains("\"zScore\" : null"), "nulls inside the report are written");
        String file = Files.readString(dir.resolve("odd").resolve(ReportWriter.FILE_NAME), StandardCharsets.UTF_8);
        assertTrue(file.contains("\u00e9\u4e2d"), "non-ASCII as UTF-8");
    }

    /** What databind would also write (a getter-named method) is refused, not silently left out. */
    @Test
    void aRecordWithAGetterIsRefused() {
        record WithGetter(int a) {
            public int getB() {
                return 2;
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ReportGenerator.write(new WithGetter(1), new StringWriter()));
        assertTrue(e.getMessage().contains("getB()"), e.getMessage());
    }
}
