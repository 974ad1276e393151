package io.github.spectralcircuits.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports of every shape written and read back with the one databind mapper: the file holds the text toJson
 * gives, reads back to a report that writes the same bytes again, and a report written by an earlier version
 * (a stored file) still reads, every one of its fields kept, in its order, with its value.
 */
class ReportRoundTripTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    private static SpectralReport withControl;
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

    /** The file holds toJson's text as UTF-8; it reads back to a report that writes the same bytes again. */
    private static void assertRoundTrips(SpectralReport report, String name) throws Exception {
        String json = ReportWriter.toJson(report);
        Path file = ReportWriter.write(report, dir.resolve(name));
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
        // records holding arrays do not compare by value, so "the same report" is: it writes the same bytes again
        SpectralReport back = ReportReader.read(file);
        assertEquals(json, ReportWriter.toJson(back));
        assertEquals(report.trained().heads().size(), back.trained().heads().size());
    }

    @Test
    void aReportWithControlComparisonAndThinkingHeads() throws Exception {
        assertNotNull(withControl.comparison());
        assertTrue(withControl.thinkingHeads() != null && !withControl.thinkingHeads().isEmpty(),
                "the z threshold of 1 finds thinking heads");
        assertEquals(6, withControl.trained().heads().size());
        assertRoundTrips(withControl, "control");
        assertTrue(ReportWriter.toJson(withControl).contains("\"layers\" : [ 0, 2 ],"), "sets are written sorted");
    }

    @Test
    void aReportWithBaselineDriftAndChecks() throws Exception {
        assertNotNull(withBaselineAndChecks.baselineDrift());
        assertEquals(2, withBaselineAndChecks.checks().size());
        assertTrue(withBaselineAndChecks.checks().stream().anyMatch(c -> !c.passed()), "the drift rule fails");
        assertRoundTrips(withBaselineAndChecks, "baseline");
    }

    @Test
    void aReportWithoutItsOptionalParts() throws Exception {
        SpectralReport bare = SyntheticReports.stories260kLike(3, false);
        SpectralReport none = new SpectralReport(bare.schemaVersion(), bare.model(), bare.settings(), bare.trained(),
                null, null, null, null, null);
        assertRoundTrips(none, "bare");
        String json = ReportWriter.toJson(none);
        for (String absent : List.of("control", "comparison", "thinkingHeads", "baselineDrift", "checks")) {
            assertTrue(!json.contains("\n  \"" + absent + "\" :"), absent + " is left out when null");
        }
        assertRoundTrips(new SpectralReport(bare.schemaVersion(), bare.model(), bare.settings(),
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
        assertRoundTrips(report, "odd");
        String json = ReportWriter.toJson(report);
        assertTrue(json.contains("\"NaN\"") && json.contains("\"-Infinity\""), "non-finite numbers as strings");
        assertTrue(json.contains("\"zScore\" : null"), "nulls inside the report are written");
        String file = Files.readString(dir.resolve("odd").resolve(ReportWriter.FILE_NAME), StandardCharsets.UTF_8);
        assertTrue(file.contains("\u00e9\u4e2d"), "non-ASCII as UTF-8");
    }

    /** A method named like a getter is not a field of the report: only the records' components are written. */
    @Test
    void onlyRecordComponentsAreWritten() throws Exception {
        record WithGetter(int a, String z) {
            public int getB() {
                return 2;
            }

            public boolean isC() {
                return true;
            }
        }
        assertEquals("{\n  \"a\" : 1,\n  \"z\" : \"x\"\n}", ReportJson.MAPPER.writeValueAsString(new WithGetter(1, "x")));
    }

    /**
     * How a field is added without touching every caller: a new component, and a constructor with the old
     * signature that passes null for it. Reading must still go through the canonical constructor (all fields).
     */
    @Test
    void aSecondConstructorDoesNotChangeHowARecordIsRead() throws Exception {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Grown(int schemaVersion, String added, String kept) {
            Grown(int schemaVersion, String kept) {
                this(schemaVersion, null, kept);
            }
        }
        Grown back = ReportJson.MAPPER.readValue("{\"schemaVersion\": 1, \"added\": \"a\", \"kept\": \"k\"}", Grown.class);
        assertEquals(new Grown(1, "a", "k"), back);
        assertEquals(new Grown(1, "k"), ReportJson.MAPPER.readValue("{\"schemaVersion\": 1, \"kept\": \"k\"}", Grown.class));
        assertEquals("{\n  \"schemaVersion\" : 1,\n  \"kept\" : \"k\"\n}", ReportJson.MAPPER.writeValueAsString(new Grown(1, "k")));
    }

    /**
     * A report as version 0.1.0 at 9902f80 wrote it (stories260k, layers 0 and 2, heads 1 and 5, with control,
     * comparison, thinking heads, a baseline drift and checks; NaN and infinities, odd strings): it still reads,
     * and writing what was read gives back every field of the file, in the file's order, with the file's value.
     * Fields added since may appear among them; none may be lost, renamed, reordered or changed.
     */
    @Test
    void aReportOfAnEarlierVersionReadsAndWritesBackEveryFieldItHad() throws Exception {
        Path stored = dir.resolve("stored").resolve(ReportWriter.FILE_NAME);
        Files.createDirectories(stored.getParent());
        try (InputStream in = ReportRoundTripTest.class.getResourceAsStream("written-by-0.1.0-9902f80.json")) {
            Files.copy(in, stored);
        }
        SpectralReport back = ReportReader.read(stored.getParent());
        assertEquals(4, back.trained().heads().size());
        assertEquals(Set.of(0, 2), back.settings().layers());
        ThinkingHead odd = back.thinkingHeads().get(back.thinkingHeads().size() - 1);
        assertTrue(Double.isNaN(odd.value()) && odd.controlStd() == Double.POSITIVE_INFINITY && odd.zScore() == null);
        ObjectMapper plain = new ObjectMapper();
        JsonNode old = plain.readTree(stored.toFile());
        JsonNode now = plain.readTree(ReportWriter.toJson(back));
        assertKeeps(old, now, "$");
        String text = Files.readString(stored, StandardCharsets.UTF_8);
        String rewritten = ReportWriter.toJson(back);
        for (String layout : List.of("{\n  \"schemaVersion\" : 1,\n  \"model\" : {\n    \"path\" : ", "\"layers\" : [ 0, 2 ],",
                "\"re\" : [ -413.79425265698524, 25.203908704118273, ")) {
            assertTrue(text.contains(layout) && rewritten.contains(layout), "written as before: " + layout);
        }
    }

    /** Every field of old is in now, in the same relative order, with an equal value (recursively). */
    private static void assertKeeps(JsonNode old, JsonNode now, String where) {
        assertEquals(old.getNodeType(), now.getNodeType(), where);
        if (old.isObject()) {
            List<String> order = new ArrayList<>();
            now.fieldNames().forEachRemaining(order::add);
            int last = -1;
            for (Iterator<String> names = old.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                int at = order.indexOf(name);
                assertTrue(at >= 0, where + "." + name + " is lost");
                assertTrue(at > last, where + "." + name + " moved before a field that preceded it");
                last = at;
                assertKeeps(old.get(name), now.get(name), where + "." + name);
            }
        } else if (old.isArray()) {
            assertEquals(old.size(), now.size(), where + " length");
            for (int i = 0; i < old.size(); i++) {
                assertKeeps(old.get(i), now.get(i), where + "[" + i + "]");
            }
        } else {
            assertEquals(old, now, where);
        }
    }
}
