package io.github.spectralcircuits.check;

import static io.github.spectralcircuits.check.UniformReports.circuit;
import static io.github.spectralcircuits.check.UniformReports.stats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEvaluatorTest {
    /** 3 layers x 4 heads; QK's every metric = 10 + layer, OV's = layer * 4 + head (0..11). */
    private static final SpectralReport REPORT = UniformReports.uniform(3, 4, (l, h) -> 10.0 + l, (l, h) -> l * 4.0 + h);

    private static Rule rule(String circuit, String layers, String heads, Limit... limits) {
        return new Rule(circuit, layers, heads, List.of(limits));
    }

    private static Limit min(String metric, double v) {
        return new Limit(metric, v, null, null);
    }

    private static Limit max(String metric, double v) {
        return new Limit(metric, null, v, null);
    }

    @Test
    void minimumFlagsExactlyTheCircuitsBelowIt() {
        CheckOutcome out = RuleEvaluator.evaluate(List.of(rule("OV", null, null, min("effectiveRank", 5))), REPORT.trained(), null);
        // OV values 0..11: 0,1,2,3,4 are below 5; 5 itself passes.
        assertEquals(5, out.violations().size());
        assertEquals(List.of(0, 1, 2, 3, 0), out.violations().stream().map(Violation::head).toList());
        assertEquals(List.of(0, 0, 0, 0, 1), out.violations().stream().map(Violation::layer).toList());
        assertTrue(out.violations().stream().allMatch(v -> v.circuit() == CircuitType.OV));
        assertFalse(out.passed());
        assertEquals(1, out.results().size());
        assertFalse(out.results().get(0).passed());
        assertTrue(out.results().get(0).message().startsWith("violated by 5 of 12 circuits"), out.results().get(0).message());
    }

    @Test
    void violationLineNamesLayerHeadCircuitMetricValueAndLimit() {
        CheckOutcome out = RuleEvaluator.evaluate(List.of(rule("OV", "2", "3", max("positivity", 10.5))), REPORT.trained(), null);
        assertEquals(1, out.violations().size());
        assertEquals("layer 2, head 3, OV: positivity = 11 is above the maximum 10.5", out.violations().get(0).describe());
    }

    @Test
    void allChecksBothCircuitsAndSelectionRestrictsLayersAndHeads() {
        // QK of layers 1-2 is 11, 12: above 10.5. OV of heads 0,2 in layers 1-2: 4,6,8,10: none above 10.5.
        CheckOutcome out = RuleEvaluator.evaluate(
                List.of(rule("all", "1-2", "0,2", max("spectralNorm", 10.5))), REPORT.trained(), null);
        assertEquals(4, out.violations().size());
        assertTrue(out.violations().stream().allMatch(v -> v.circuit() == CircuitType.QK));
        assertEquals(List.of("1/0", "1/2", "2/0", "2/2"),
                out.violations().stream().map(v -> v.layer() + "/" + v.head()).toList());
        assertTrue(out.results().get(0).message().contains("of 8 circuits"), out.results().get(0).message());
    }

    @Test
    void passingRulesGiveOnePassedResultPerLimit() {
        CheckOutcome out = RuleEvaluator.evaluate(List.of(
                rule("QK", null, null, min("effectiveRank", 10), max("nearZeroRatio", 12)),
                rule("OV", "2", null, new Limit("stableRank", 8.0, 11.0, null))), REPORT.trained(), null);
        assertTrue(out.passed());
        assertEquals(3, out.results().size());
        assertTrue(out.results().stream().allMatch(CheckResult::passed));
        assertEquals("passed on all 12 circuits", out.results().get(0).message());
        assertTrue(out.results().get(2).rule().contains("stableRank minimum 8 maximum 11"), out.results().get(2).rule());
        assertTrue(out.results().get(2).rule().contains("OV, layers 2, heads all"), out.results().get(2).rule());
    }

    @Test
    void nanStatisticFailsEveryBound() {
        List<HeadSpectra> heads = List.of(new HeadSpectra(0, 0, 0, circuit(stats(Double.NaN, 0.5, 1, 0)),
                circuit(stats(3, 0.5, 1, 0))));
        CheckOutcome out = RuleEvaluator.evaluate(List.of(rule("QK", null, null, max("effectiveRank", 100))),
                UniformReports.of(heads).trained(), null);
        assertEquals(1, out.violations().size());
        assertTrue(Double.isNaN(out.violations().get(0).value()));
    }

    @Test
    void driftIsRelativeToTheBaselineAndNamesBothValues() {
        SpectralReport baseline = UniformReports.uniform(3, 4, (l, h) -> 10.0 + l, (l, h) -> 20.0);
        // OV now l*4+h against 20 in the baseline; QK unchanged.
        CheckOutcome out = RuleEvaluator.evaluate(
                List.of(rule("ALL", null, null, new Limit("spectralNorm", null, null, 0.05))), REPORT.trained(), baseline.trained());
        // |v-20|/20 <= 0.05 only for v in [19, 21]: no OV value reaches 19 (max 11), so all 12 OV circuits drift.
        assertEquals(12, out.violations().size());
        assertTrue(out.violations().stream().allMatch(v -> v.circuit() == CircuitType.OV));
        Violation first = out.violations().get(0);
        assertEquals(1.0, first.value(), 1e-12); // from 20 to 0
        assertEquals("layer 0, head 0, OV: spectralNorm drifted by 1 (from 20 in the baseline to 0), "
                + "above the maximumDriftFromBaseline 0.05", first.describe());
        Violation last = out.violations().get(11);
        assertEquals(9.0 / 20.0, last.value(), 1e-12); // from 20 to 11
    }

    @Test
    void driftAgainstItselfIsZeroAndPasses() {
        CheckOutcome out = RuleEvaluator.evaluate(
                List.of(rule("ALL", null, null, new Limit("effectiveRank", null, null, 0.0))), REPORT.trained(), REPORT.trained());
        assertTrue(out.passed());
    }

    @Test
    void driftIsRelativeToTheBaselinesMagnitudeAndInfiniteFromZero() {
        assertEquals(0.5, RuleEvaluator.relativeDrift(-1.5, -1.0), 1e-15);
        assertEquals(0.5, RuleEvaluator.relativeDrift(-0.5, -1.0), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, RuleEvaluator.relativeDrift(0.25, 0.0));
        assertEquals(0.0, RuleEvaluator.relativeDrift(0.0, 0.0));
    }

    @Test
    void baselineMissingAHeadIsAConfigurationError() {
        SpectralReport small = UniformReports.uniform(1, 4, (l, h) -> 1.0, (l, h) -> 1.0);
        RuleConfigurationException e = assertThrows(RuleConfigurationException.class, () -> RuleEvaluator.evaluate(
                List.of(rule("QK", null, null, new Limit("trace", null, null, 0.1))), REPORT.trained(), small.trained()));
        assertTrue(e.getMessage().contains("no layer 1 head 0"), e.getMessage());
    }

    @Test
    void configurationErrorsAreCaughtBeforeAnyAnalysis() {
        assertConfigError(rule("OV", null, null, min("effRank", 1)), false, "'effRank'", "effectiveRank");
        assertConfigError(rule("OV", null, null, new Limit("trace", 5.0, 3.0, null)), false, "minimum 5 above its maximum 3");
        assertConfigError(rule("OV", null, null, new Limit("trace", null, null, 0.05)), false, "no baseline", "set {{baseline}} to an earlier");
        assertConfigError(rule("OV", null, null, new Limit("trace", null, null, -0.1)), true, "negative");
        assertConfigError(rule("OV", null, null, new Limit("trace", null, null, null)), false, "checks nothing");
        assertConfigError(rule("VO", null, null, min("trace", 1)), false, "QK, OV or ALL");
        assertConfigError(rule("OV", "3-1", null, min("trace", 1)), false, "Rule 1 layers");
        assertConfigError(new Rule("OV", null, null, new ArrayList<>()), false, "no <limits>");
        assertConfigError(rule("OV", null, null, new Limit(null, 1.0, null, null)), false, "no <metric>");
    }

    @Test
    void secondRuleIsNamedInItsError() {
        RuleConfigurationException e = assertThrows(RuleConfigurationException.class, () -> RuleEvaluator.validate(
                List.of(rule("QK", null, null, min("trace", 0)), rule("OV", null, null, min("traces", 0))), false));
        assertTrue(e.getMessage().startsWith("Rule 2 (OV, layers all, heads all), limit 1"), e.getMessage());
    }

    @Test
    void ruleSelectingNoHeadIsAnError() {
        RuleConfigurationException e = assertThrows(RuleConfigurationException.class, () -> RuleEvaluator.evaluate(
                List.of(rule("QK", "7", null, min("trace", 0))), REPORT.trained(), null));
        assertTrue(e.getMessage().contains("selects no analysed head"), e.getMessage());
    }

    private static void assertConfigError(Rule rule, boolean baseline, String... fragments) {
        // A bad range comes from IndexRanges as a plain SpectralException, the rest as RuleConfigurationException.
        SpectralException e = assertThrows(SpectralException.class,
                () -> RuleEvaluator.validate(List.of(rule), baseline));
        for (String f : fragments) {
            // the message as written, with its parameter references, which each front end renders
            assertTrue(e.rawMessage().contains(f), "expected '" + f + "' in: " + e.rawMessage());
        }
    }
}
