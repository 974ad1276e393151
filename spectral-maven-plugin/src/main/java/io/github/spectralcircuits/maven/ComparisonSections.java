package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.compare.BaselineDrift;
import io.github.spectralcircuits.compare.CircuitComparison;
import io.github.spectralcircuits.compare.Comparison;
import io.github.spectralcircuits.compare.DensityComparison;
import io.github.spectralcircuits.compare.HeadComparison;
import io.github.spectralcircuits.compare.HeadDrift;
import io.github.spectralcircuits.compare.HeadRank;
import io.github.spectralcircuits.compare.MetricDeviation;
import io.github.spectralcircuits.compare.MetricDrift;
import io.github.spectralcircuits.compare.PairedTest;
import io.github.spectralcircuits.compare.RankHypothesis;
import io.github.spectralcircuits.compare.NullWidth;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.compare.ThinkingHeadsCriterion;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trained vs control, thinking heads and baseline drift sections of the page; each appears only when
 * the report has that part.
 */
final class ComparisonSections {
    /** The metrics a drift table shows one column each for; the largest drift of any metric gets its own column. */
    static final List<String> DRIFT_COLUMNS = List.of("effectiveRank", "positivity", "nearZeroRatio", "spectralNorm");

    private ComparisonSections() {
    }

    /** Thinking-head rows shown on the page; the report file keeps them all. */
    static final int MAX_THINKING_ROWS = 20;

    /** The pooled comparison, rank hypothesis, thinking heads and drift: what a reader looks at first. */
    static void render(SpectralReportPage page, SpectralReport report) {
        if (report.comparison() != null) {
            comparison(page, report.comparison());
        }
        if (report.thinkingHeads() != null) {
            thinkingHeads(page, report);
        }
        if (report.baselineDrift() != null) {
            drift(page, report.baselineDrift());
        }
    }

    private static void comparison(SpectralReportPage page, Comparison c) {
        page.section("Trained vs random control", "comparison");
        page.para("The control is a randomly initialised model of the same architecture. Densities compare "
                + (c.samples() == null ? Comparison.SAMPLES : c.samples()) + ". KS: two-sample Kolmogorov-Smirnov "
                + "statistic D and p-value; W₁: Wasserstein-1 distance; Δ: trained minus control.");
        page.caption("Pooled over heads");
        page.table("circuit", "Δ mean", "Δ near-zero ratio", "|λ|/σ₁: KS D", "KS p", "W₁", "σ/σ₁: KS D", "KS p", "W₁");
        for (CircuitType type : CircuitType.values()) {
            CircuitComparison cc = c.circuit(type);
            if (cc == null) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(type.name(), Numbers.signed(cc.meanDifference()),
                    Numbers.signed(cc.nearZeroRatioDifference())));
            cells.addAll(density(cc.eigenvalueModuli()));
            cells.addAll(density(cc.singularValues()));
            page.row(cells.toArray(String[]::new));
        }
        page.tableEnd();

        page.caption("Rank hypothesis");
        page.table("circuit", "H0", "threshold (of V)", "rank bound d_head", "rejected by construction",
                "heads rejected", "effective rank: trained median", "control median", "Wilcoxon statistic", "p-value");
        for (CircuitType type : CircuitType.values()) {
            CircuitComparison cc = c.circuit(type);
            if (cc == null || cc.rankHypothesis() == null) {
                continue;
            }
            RankHypothesis r = cc.rankHypothesis();
            PairedTest t = r.effectiveRankTest();
            page.row(type.name(), r.hypothesis(), Numbers.format(r.highRankThreshold()) + " (of " + r.dimension() + ")",
                    Integer.toString(r.rankBound()), r.rejectedByConstruction() ? "yes" : "no",
                    r.headsRejected() + " of " + r.headsTested(),
                    t == null ? "n/a" : Numbers.format(t.trainedMedian()),
                    t == null ? "n/a" : Numbers.format(t.controlMedian()),
                    t == null ? "n/a" : Numbers.format(t.statistic()),
                    t == null ? "n/a" : Numbers.pValue(t.pValue()) + " (" + t.pValueMethod() + ")");
        }
        page.tableEnd();

        page.para("Per-head comparisons are tabulated after the per-head statistics below.");
        page.sectionEnd();
    }

    /** Trained vs control head by head: long tables, so after everything else. */
    static void renderPerHead(SpectralReportPage page, SpectralReport report) {
        Comparison c = report.comparison();
        if (c == null) {
            return;
        }
        page.section("Trained vs control per head", "comparison-heads");
        for (CircuitType type : CircuitType.values()) {
            CircuitComparison cc = c.circuit(type);
            if (cc == null) {
                continue;
            }
            Map<String, HeadRank> ranks = new HashMap<>();
            if (cc.rankHypothesis() != null) {
                for (HeadRank r : cc.rankHypothesis().heads()) {
                    ranks.put(r.layer() + "/" + r.head(), r);
                }
            }
            page.caption(type + " per head, trained vs control");
            page.table("layer", "head", "Δ mean", "Δ near-zero ratio", "|λ|/σ₁: KS D", "KS p", "W₁",
                    "numerical rank trained / control", "effective rank trained", "control");
            for (HeadComparison h : cc.heads()) {
                HeadRank r = ranks.get(h.layer() + "/" + h.head());
                List<String> cells = new ArrayList<>(List.of(Integer.toString(h.layer()), Integer.toString(h.head()),
                        Numbers.signed(h.meanDifference()), Numbers.signed(h.nearZeroRatioDifference())));
                cells.addAll(density(h.eigenvalueModuli()));
                cells.add(r == null ? "n/a" : r.trainedNumericalRank() + " / " + r.controlNumericalRank());
                cells.add(r == null ? "n/a" : Numbers.format(r.trainedEffectiveRank()));
                cells.add(r == null ? "n/a" : Numbers.format(r.controlEffectiveRank()));
                page.row(cells.toArray(String[]::new));
            }
            page.tableEnd();
        }
        page.sectionEnd();
    }


    private static List<String> density(DensityComparison d) {
        if (d == null) {
            return List.of("n/a", "n/a", "n/a");
        }
        return List.of(Numbers.format(d.ksStatistic()), Numbers.pValue(d.ksPValue()), Numbers.format(d.wasserstein1()));
    }

    private static void thinkingHeads(SpectralReportPage page, SpectralReport report) {
        page.section("Thinking heads", "thinking-heads");
        List<ThinkingHead> heads = report.thinkingHeads();
        ThinkingHeadsCriterion c = report.thinkingHeadsCriterion();
        if (c == null) {
            // a report written before the calibrated test
            double z = report.settings() == null ? 3 : report.settings().zThreshold();
            page.para("Trained heads whose metrics lie more than " + Numbers.format(z) + " control standard "
                    + "deviations from the mean of the control heads (the uncalibrated test of earlier versions).");
        } else {
            page.para("Circuits whose spectra stand out among the model's own heads. Every trained head differs from "
                    + "random weights, so the reference is the model's typical head: for each of " + c.metrics()
                    + " a head's robust z = (value - median) / (1.4826 MAD) over the model's heads of that circuit "
                    + "type, divided by the metric's null width, which the random control measures (" + c.controlHeads()
                    + " control heads from " + c.controlDraws() + " draw" + (c.controlDraws() == 1 ? "" : "s")
                    + "). Null law: Student t with " + Numbers.format(c.degreesOfFreedom()) + " degrees of freedom; "
                    + "each circuit's p-value is Bonferroni over its metrics, Benjamini-Hochberg over the "
                    + c.circuitsTested() + " circuits at a false discovery rate of " + Numbers.format(c.falseDiscoveryRate())
                    + (Double.isFinite(c.threshold()) ? ": flagged circuits have |z| > " + Numbers.format(c.threshold()) : "")
                    + "." + (c.note() == null ? "" : " Note: " + c.note() + "."));
            if (!c.nullWidths().isEmpty()) {
                page.caption("Null widths from the control");
                page.table("metric", "null width above the median", "below", "control z rms above", "below",
                        "control z values", "control mean", "control std");
                for (NullWidth w : c.nullWidths()) {
                    page.row(w.metric(), Numbers.format(w.upperWidth()), Numbers.format(w.lowerWidth()),
                            Numbers.format(w.controlRmsUpper()), Numbers.format(w.controlRmsLower()),
                            Integer.toString(w.controlZ()), Numbers.format(w.controlMean()), Numbers.format(w.controlStd()));
                }
                page.tableEnd();
            }
        }
        if (heads.isEmpty()) {
            page.para("None: no circuit stands out beyond the threshold.");
        } else {
            page.table("rank", "head", "circuit", "metric", "value", "model median", "z", "p", "q (BH)",
                    "control mean", "also deviating");
            for (ThinkingHead t : heads.subList(0, Math.min(MAX_THINKING_ROWS, heads.size()))) {
                List<String> others = new ArrayList<>();
                for (MetricDeviation d : t.deviations()) {
                    if (!d.metric().equals(t.metric())) {
                        others.add(d.metric() + " (z " + z(d.zScore()) + ")");
                    }
                }
                page.row(Integer.toString(t.rank()), "L" + t.layer() + "H" + t.head(), t.circuit().name(), t.metric(),
                        Numbers.format(t.value()), Numbers.format(t.modelMedian()), z(t.zScore()),
                        Numbers.pValue(t.pValue()), Numbers.pValue(t.qValue()), Numbers.format(t.controlMean()),
                        others.isEmpty() ? "" : String.join(", ", others));
            }
            page.tableEnd();
            if (heads.size() > MAX_THINKING_ROWS) {
                page.para("The " + MAX_THINKING_ROWS + " strongest of " + heads.size() + " thinking heads are shown; "
                        + "spectral-report.json lists them all.");
            }
        }
        page.sectionEnd();
    }

    private static String z(Double z) {
        return z == null ? "n/a" : String.format(Locale.ROOT, "%+.1f", z);
    }

    private static void drift(SpectralReportPage page, BaselineDrift drift) {
        page.section("Drift from the baseline", "baseline-drift");
        page.para("Relative change of each head's statistics since the baseline report " + drift.baseline()
                + " ((current - baseline) / |baseline|).");
        List<String> header = new ArrayList<>(List.of("layer", "head", "circuit"));
        header.addAll(DRIFT_COLUMNS);
        header.add("largest drift");
        page.table(header.toArray(String[]::new));
        for (HeadDrift h : drift.heads()) {
            for (CircuitType type : CircuitType.values()) {
                List<MetricDrift> metrics = h.circuit(type);
                List<String> cells = new ArrayList<>(List.of(Integer.toString(h.layer()), Integer.toString(h.head()),
                        type.name()));
                MetricDrift largest = null;
                for (String name : DRIFT_COLUMNS) {
                    cells.add(metrics.stream().filter(m -> m.metric().equals(name)).findFirst()
                            .map(ComparisonSections::relative).orElse("n/a"));
                }
                for (MetricDrift m : metrics) {
                    if (largest == null || m.relativeMagnitude() > largest.relativeMagnitude()) {
                        largest = m;
                    }
                }
                cells.add(largest == null ? "n/a" : largest.metric() + " " + relative(largest));
                page.row(cells.toArray(String[]::new));
            }
        }
        page.tableEnd();
        page.sectionEnd();
    }

    private static String relative(MetricDrift m) {
        if (m.relative() == null) {
            return "from 0 to " + Numbers.format(m.current());
        }
        return String.format(Locale.ROOT, "%+.2f %%", 100 * m.relative());
    }
}
