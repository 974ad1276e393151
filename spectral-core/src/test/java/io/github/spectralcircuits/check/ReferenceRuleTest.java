package io.github.spectralcircuits.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The maximumChangeFromReference limit on a report's changedHeads. */
class ReferenceRuleTest {
    private static final SpectralReport REPORT = UniformReports.uniform(2, 2, (l, h) -> 1.0, (l, h) -> 1.0);

    /** Every circuit unchanged but layer 1 head 0's OV: score 0.5 from its norm, and QK of head 1 turned 30 degrees. */
    static List<ChangedHead> changes() {
        List<ChangedHead> out = new ArrayList<>();
        out.add(new ChangedHead(1, 1, 0, CircuitType.OV, 0.5, 0.4, 0.5, 3, 2, 4, 0, new double[4], new double[4]));
        out.add(new ChangedHead(2, 0, 1, CircuitType.QK, Math.sin(Math.toRadians(30)) - 1e-9, 0.01, 0.0, 1, 1, 2, 30,
                new double[] {10, 30}, new double[] {0, 5}));
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 2; h++) {
                for (CircuitType t : CircuitType.values()) {
                    if (!(l == 1 && h == 0 && t == CircuitType.OV) && !(l == 0 && h == 1 && t == CircuitType.QK)) {
                        out.add(new ChangedHead(out.size() + 1, l, h, t, 0, 0, 0, 1, 1, 4, 0, new double[4], new double[4]));
                    }
                }
            }
        }
        return out;
    }

    private static Rule rule(String circuit, String metric, double bound) {
        Limit limit = new Limit(metric, null, null, null);
        limit.setMaximumChangeFromReference(bound);
        return new Rule(circuit, null, null, List.of(limit));
    }

    @Test
    void theScoreIsBoundedAndTheViolationNamesTheHead() {
        CheckOutcome out = RuleEvaluator.evaluate(List.of(rule("ALL", null, 0.49)), REPORT.trained(), null, changes());
        assertEquals(2, out.violations().size(), out.violations().toString());
        Violation v = out.violations().get(0);
        assertEquals(List.of(0, 1, CircuitType.QK), List.of(v.layer(), v.head(), v.circuit()));
        assertEquals("layer 1, head 0, OV: changed from the reference model by score = 0.5, above the "
                + "maximumChangeFromReference 0.49", out.violations().get(1).describe());
        assertTrue(out.results().get(0).rule().contains("score maximumChangeFromReference 0.49"), out.results().get(0).rule());
        assertTrue(RuleEvaluator.evaluate(List.of(rule("ALL", null, 0.5)), REPORT.trained(), null, changes()).passed());
    }

    @Test
    void aMeasureCanBeNamedAndTheSelectionApplies() {
        CheckOutcome angle = RuleEvaluator.evaluate(List.of(rule("QK", "maxAngleDegrees", 20)), REPORT.trained(), null,
                changes());
        assertEquals(1, angle.violations().size());
        assertEquals(30.0, angle.violations().get(0).value(), 0);
        CheckOutcome ovOnly = RuleEvaluator.evaluate(List.of(rule("OV", "singularValueChange", 0.3)), REPORT.trained(),
                null, changes());
        assertEquals(1, ovOnly.violations().size());
        assertEquals(0.4, ovOnly.violations().get(0).value(), 0);
    }

    @Test
    void configurationErrors() {
        RuleConfigurationException none = assertThrows(RuleConfigurationException.class, () -> RuleEvaluator.evaluate(
                List.of(rule("ALL", null, 0.1)), REPORT.trained(), null, null));
        assertTrue(none.rawMessage().contains("set {{reference}}"), none.rawMessage());
        assertThrows(RuleConfigurationException.class, () -> RuleEvaluator.validate(List.of(rule("ALL", null, 0.1)), false, false));
        RuleConfigurationException measure = assertThrows(RuleConfigurationException.class,
                () -> RuleEvaluator.validate(List.of(rule("ALL", "effectiveRank", 0.1)), false, true));
        assertTrue(measure.rawMessage().contains("[score, singularValueChange, spectralNormChange, maxAngleDegrees]"));
        Limit mixed = new Limit("score", 1.0, null, null);
        mixed.setMaximumChangeFromReference(0.1);
        assertThrows(RuleConfigurationException.class, () -> RuleEvaluator.validate(
                List.of(new Rule("ALL", null, null, List.of(mixed))), false, true));
        assertThrows(RuleConfigurationException.class, () -> RuleEvaluator.validate(List.of(rule("ALL", null, -1)), false, true));
        // validated before the analysis when the reference is known to come
        RuleEvaluator.validate(List.of(rule("ALL", null, 0.1)), false, true);
    }

    @Test
    void aNaNChangeFailsTheLimit() {
        List<ChangedHead> c = new ArrayList<>(changes());
        ChangedHead h = c.get(0);
        c.set(0, new ChangedHead(1, h.layer(), h.head(), h.circuit(), Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0,
                new double[0], new double[0]));
        CheckOutcome out = RuleEvaluator.evaluate(List.of(rule("OV", null, 10)), REPORT.trained(), null, c);
        assertEquals(1, out.violations().size());
    }
}
