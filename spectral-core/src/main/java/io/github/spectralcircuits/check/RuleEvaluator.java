package io.github.spectralcircuits.check;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;

/**
 * Evaluates JaCoCo-style rules against the trained heads of a report (SPEC section 7): each limit
 * of each rule is checked on every selected circuit, giving one {@link CheckResult} per (rule, limit)
 * and one {@link Violation} per offending circuit.
 */
public final class RuleEvaluator {
    private static final int SHOWN_IN_RESULT = 5;

    private RuleEvaluator() {
    }

    /**
     * Checks the rules as written, before any analysis runs, so a typo costs seconds, not a full run.
     *
     * @throws RuleConfigurationException naming the rule, the limit and what to write instead
     */
    public static void validate(List<Rule> rules, boolean haveBaseline) {
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            String name = "Rule " + (r + 1);
            if (rule == null) {
                throw new RuleConfigurationException(name + " is empty; give it a <circuit> and <limits>.");
            }
            circuits(rule, name);
            IndexRanges.parse(rule.getLayers(), name + " layers");
            IndexRanges.parse(rule.getHeads(), name + " heads");
            List<Limit> limits = rule.getLimits();
            if (limits == null || limits.isEmpty()) {
                throw new RuleConfigurationException(name + " (" + rule.selection() + ") has no <limits>, so it "
                        + "checks nothing; add for example <limits><limit><metric>effectiveRank</metric>"
                        + "<minimum>2</minimum></limit></limits>.");
            }
            for (int l = 0; l < limits.size(); l++) {
                validateLimit(limits.get(l), name + " (" + rule.selection() + "), limit " + (l + 1), haveBaseline);
            }
        }
    }

    private static void validateLimit(Limit limit, String where, boolean haveBaseline) {
        if (limit == null || limit.getMetric() == null || limit.getMetric().isBlank()) {
            throw new RuleConfigurationException(where + " has no <metric>; name one of " + CircuitStats.METRICS + ".");
        }
        if (!CircuitStats.METRICS.contains(limit.getMetric().strip())) {
            throw new RuleConfigurationException(where + " names the metric '" + limit.getMetric()
                    + "', which the report does not have; use one of " + CircuitStats.METRICS
                    + " (names are case-sensitive).");
        }
        Double min = limit.getMinimum();
        Double max = limit.getMaximum();
        Double drift = limit.getMaximumDriftFromBaseline();
        if (min == null && max == null && drift == null) {
            throw new RuleConfigurationException(where + " (" + limit.getMetric() + ") sets no <minimum>, <maximum> "
                    + "or <maximumDriftFromBaseline>, so it checks nothing; add one of them.");
        }
        for (Double v : new Double[] {min, max, drift}) {
            if (v != null && !Double.isFinite(v)) {
                throw new RuleConfigurationException(where + " (" + limit + ") has a bound that is not a finite "
                        + "number; write a plain number such as 0.5.");
            }
        }
        if (min != null && max != null && min > max) {
            throw new RuleConfigurationException(where + " (" + limit.getMetric() + ") has its minimum "
                    + Format.number(min) + " above its maximum " + Format.number(max)
                    + ", so no value can pass; swap them or fix the one that is wrong.");
        }
        if (drift != null && drift < 0) {
            throw new RuleConfigurationException(where + " (" + limit.getMetric() + ") has a negative "
                    + "maximumDriftFromBaseline " + Format.number(drift) + "; it is a relative change "
                    + "(0.05 = 5 %), so write a number of 0 or more.");
        }
        if (drift != null && !haveBaseline) {
            throw new RuleConfigurationException(where + " (" + limit.getMetric() + ") bounds the drift from a "
                    + "baseline, but no baseline report is configured; set " + ParameterNames.ref("baseline") + " "
                    + "to an earlier spectral-report.json, or remove <maximumDriftFromBaseline>.");
        }
    }

    /**
     * Evaluates validated rules on the trained heads.
     *
     * @param baseline the trained spectra of an earlier report, whose heads the drift limits compare against; null when none
     * @throws RuleConfigurationException if a rule selects no analysed head, or the baseline lacks a head
     */
    public static CheckOutcome evaluate(List<Rule> rules, ModelSpectra trained, ModelSpectra baseline) {
        validate(rules, baseline != null);
        Map<String, HeadSpectra> baselineHeads = new HashMap<>();
        if (baseline != null) {
            for (HeadSpectra h : baseline.heads()) {
                baselineHeads.put(key(h.layer(), h.head()), h);
            }
        }
        List<CheckResult> results = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            String name = "rule " + (r + 1) + " (" + rule.selection() + ")";
            List<HeadSpectra> heads = select(rule, trained, name);
            for (Limit limit : rule.getLimits()) {
                List<Violation> found = new ArrayList<>();
                int circuitsChecked = 0;
                for (HeadSpectra h : heads) {
                    for (CircuitType type : circuits(rule, name)) {
                        circuitsChecked++;
                        HeadSpectra base = null;
                        if (limit.getMaximumDriftFromBaseline() != null) {
                            base = baselineHeads.get(key(h.layer(), h.head()));
                            if (base == null) {
                                throw new RuleConfigurationException("The baseline report has no layer " + h.layer()
                                        + " head " + h.head() + ", which " + name + " checks for drift; the "
                                        + "baseline must come from the same model shape and the same layer/head "
                                        + "filters. Regenerate it or drop <maximumDriftFromBaseline>.");
                            }
                        }
                        found.addAll(check(h, type, limit, base));
                    }
                }
                violations.addAll(found);
                results.add(new CheckResult(name + ": " + limit, found.isEmpty(),
                        summary(found, circuitsChecked), found));
            }
        }
        return new CheckOutcome(results, violations);
    }

    private static List<Violation> check(HeadSpectra h, CircuitType type, Limit limit, HeadSpectra base) {
        String metric = limit.getMetric().strip();
        double v = h.circuit(type).stats().metric(metric);
        List<Violation> out = new ArrayList<>();
        // Written as !(v >= min) so that a NaN statistic fails every bound rather than passing silently.
        if (limit.getMinimum() != null && !(v >= limit.getMinimum())) {
            out.add(new Violation(h.layer(), h.head(), type, metric, v, "minimum", limit.getMinimum(), v, Double.NaN));
        }
        if (limit.getMaximum() != null && !(v <= limit.getMaximum())) {
            out.add(new Violation(h.layer(), h.head(), type, metric, v, "maximum", limit.getMaximum(), v, Double.NaN));
        }
        if (limit.getMaximumDriftFromBaseline() != null) {
            double b = base.circuit(type).stats().metric(metric);
            double drift = relativeDrift(v, b);
            if (!(drift <= limit.getMaximumDriftFromBaseline())) {
                out.add(new Violation(h.layer(), h.head(), type, metric, drift, "maximumDriftFromBaseline",
                        limit.getMaximumDriftFromBaseline(), v, b));
            }
        }
        return out;
    }

    /**
     * |v - b| / |b|. From a baseline of exactly 0 any change is infinitely large relative to it (so it
     * fails every finite drift limit) and no change is 0: the same convention as the report's
     * baseline drift (compare.MetricDrift).
     */
    static double relativeDrift(double value, double baselineValue) {
        double change = Math.abs(value - baselineValue);
        if (baselineValue == 0) {
            return change == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return change / Math.abs(baselineValue);
    }

    private static List<HeadSpectra> select(Rule rule, ModelSpectra trained, String name) {
        SortedSet<Integer> layers = IndexRanges.parse(rule.getLayers(), name + " layers");
        SortedSet<Integer> heads = IndexRanges.parse(rule.getHeads(), name + " heads");
        List<HeadSpectra> all = trained == null ? List.of() : trained.heads();
        List<HeadSpectra> out = new ArrayList<>();
        for (HeadSpectra h : all) {
            if ((layers.isEmpty() || layers.contains(h.layer())) && (heads.isEmpty() || heads.contains(h.head()))) {
                out.add(h);
            }
        }
        if (out.isEmpty()) {
            throw new RuleConfigurationException("The " + name + " selects no analysed head (the report has "
                    + all.size() + " heads"
                    + (all.isEmpty() ? "" : ", layers " + all.get(0).layer() + "-" + all.get(all.size() - 1).layer())
                    + "); fix its <layers>/<heads>, which are 0-based, or the analysis's layer/head filters.");
        }
        return out;
    }

    private static List<CircuitType> circuits(Rule rule, String name) {
        String c = rule.getCircuit() == null ? "ALL" : rule.getCircuit().strip().toUpperCase(Locale.ROOT);
        return switch (c) {
            case "QK" -> List.of(CircuitType.QK);
            case "OV" -> List.of(CircuitType.OV);
            case "ALL", "" -> List.of(CircuitType.QK, CircuitType.OV);
            default -> throw new RuleConfigurationException(name + " has <circuit>" + rule.getCircuit()
                    + "</circuit>; write QK, OV or ALL.");
        };
    }

    private static String summary(List<Violation> found, int circuitsChecked) {
        if (found.isEmpty()) {
            return "passed on all " + circuitsChecked + " circuits";
        }
        StringBuilder sb = new StringBuilder("violated by " + found.size() + " of " + circuitsChecked + " circuits: ");
        for (int i = 0; i < Math.min(SHOWN_IN_RESULT, found.size()); i++) {
            Violation v = found.get(i);
            sb.append(i == 0 ? "" : "; ").append("L").append(v.layer()).append("H").append(v.head()).append(' ')
                    .append(v.circuit()).append(" = ").append(Format.number(v.value()));
        }
        if (found.size() > SHOWN_IN_RESULT) {
            sb.append("; and ").append(found.size() - SHOWN_IN_RESULT).append(" more");
        }
        return sb.toString();
    }

    private static String key(int layer, int head) {
        return layer + "/" + head;
    }
}
