package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The few sentences at the top of the page: the heads and numbers a reader should look at first. */
final class HeadlineFindings {
    static final int TOP = 3;

    private HeadlineFindings() {
    }

    /** Heads sorted by a metric of one circuit, highest first. */
    static List<HeadSpectra> ranked(SpectralReport report, CircuitType type, String metric, boolean descending) {
        Comparator<HeadSpectra> byMetric = Comparator.comparingDouble(h -> h.circuit(type).stats().metric(metric));
        List<HeadSpectra> heads = new ArrayList<>(report.trained().heads());
        heads.sort(descending ? byMetric.reversed() : byMetric);
        return heads;
    }

    static String name(HeadSpectra h) {
        return "L" + h.layer() + "H" + h.head();
    }

    static List<String> of(SpectralReport report) {
        List<String> out = new ArrayList<>();
        List<HeadSpectra> heads = report.trained().heads();
        if (heads.isEmpty()) {
            out.add("No heads were analysed (check the layers/heads filters).");
            return out;
        }
        List<HeadSpectra> byPositivity = ranked(report, CircuitType.OV, "positivity", true);
        out.add("Most copying OV heads (highest positivity): " + list(byPositivity.subList(0, Math.min(TOP, heads.size())),
                CircuitType.OV, "positivity") + ".");
        List<HeadSpectra> lowest = ranked(report, CircuitType.OV, "positivity", false);
        out.add("Most anti-copying OV heads (lowest positivity): " + list(lowest.subList(0, Math.min(TOP, heads.size())),
                CircuitType.OV, "positivity") + ".");
        long copying = heads.stream().filter(h -> h.ov().stats().positivity() > 0.5).count();
        long suppressing = heads.stream().filter(h -> h.ov().stats().positivity() < -0.5).count();
        out.add(copying + " of " + heads.size() + " heads have OV positivity above +0.5, " + suppressing
                + " below -0.5.");
        for (CircuitType type : CircuitType.values()) {
            List<HeadSpectra> byRank = ranked(report, type, "effectiveRank", false);
            out.add("Lowest " + type + " effective rank: " + list(byRank.subList(0, Math.min(TOP, heads.size())), type,
                    "effectiveRank") + " (bound d_head = " + heads.get(0).circuit(type).rankBound() + ").");
        }
        if (report.comparison() != null) {
            for (CircuitType type : CircuitType.values()) {
                var cc = report.comparison().circuit(type);
                if (cc != null && cc.eigenvalueModuli() != null) {
                    var d = cc.eigenvalueModuli();
                    out.add(type + " eigenvalue moduli vs the random control: Kolmogorov-Smirnov D = "
                            + Numbers.format(d.ksStatistic()) + " (p = " + Numbers.pValue(d.ksPValue())
                            + "), Wasserstein-1 = " + Numbers.format(d.wasserstein1()) + ".");
                }
            }
        }
        if (report.thinkingHeads() != null) {
            var top = report.thinkingHeads().stream().limit(3)
                    .map(t -> "L" + t.layer() + "H" + t.head() + " " + t.circuit() + " " + t.metric() + " "
                            + Numbers.format(t.value()) + (t.zScore() == null ? ""
                            : " (z = " + Numbers.format(t.zScore()) + ")"))
                    .toList();
            int circuits = report.trained() == null ? 0 : 2 * report.trained().heads().size();
            var c = report.thinkingHeadsCriterion();
            String how = c == null
                    ? " circuits lie beyond " + Numbers.format(report.settings() == null ? 3.0 : report.settings().zThreshold())
                            + " control standard deviations (thinking heads)"
                    : " circuits stand out among the model's own heads (thinking heads: calibrated robust z"
                            + (Double.isFinite(c.threshold()) ? " beyond " + Numbers.format(c.threshold()) : "")
                            + ", false discovery rate " + Numbers.format(c.falseDiscoveryRate()) + ")";
            out.add(report.thinkingHeads().size() + " of " + circuits + how
                    + (top.isEmpty() ? "." : "; strongest: " + String.join(", ", top) + "."));
        }
        List<CheckResult> checks = report.checks() == null ? List.of() : report.checks();
        if (!checks.isEmpty()) {
            long failed = checks.stream().filter(c -> !c.passed()).count();
            out.add(failed == 0 ? "All " + checks.size() + " checks passed."
                    : failed + " of " + checks.size() + " checks FAILED.");
        }
        return out;
    }

    private static String list(List<HeadSpectra> heads, CircuitType type, String metric) {
        List<String> parts = new ArrayList<>();
        for (HeadSpectra h : heads) {
            double v = h.circuit(type).stats().metric(metric);
            parts.add(name(h) + " (" + ("positivity".equals(metric) ? String.format(java.util.Locale.ROOT, "%+.3f", v)
                    : Numbers.format(v)) + ")");
        }
        return String.join(", ", parts);
    }
}
