package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Writes every PNG chart of a report (SPEC section 6) into one directory, each atomically.
 * Charts of the control appear only when the report has one.
 */
public final class ChartRenderer {
    public static final String QK_DISTRIBUTION = "qk_eigenvalue_distribution.png";
    public static final String OV_DISTRIBUTION = "ov_eigenvalue_distribution.png";
    public static final String QK_COMPARISON = "comparison_qk.png";
    public static final String OV_COMPARISON = "comparison_ov.png";
    public static final String COMPLEX_PLANE = "eigenvalues_complex_plane.png";
    public static final String OV_POSITIVITY = "heatmap_ov_positivity.png";
    public static final String EFFECTIVE_RANK = "heatmap_effective_rank.png";

    static {
        // charts are drawn off-screen; without this a build on a machine with no display fails in AWT
        Headless.ensure();
    }

    private ChartRenderer() {
    }

    /** Renders all charts and returns the files written, in page order. */
    public static List<Path> renderAll(SpectralReport report, Path outputDir) {
        return render(report, outputDir).stream().map(RenderedChart::file).toList();
    }

    /** As renderAll, with a title and caption per chart for pages that show them. */
    public static List<RenderedChart> render(SpectralReport report, Path outputDir) {
        ModelSpectra trained = report.trained();
        // Each chart is independent: drawn and written on the cores in parallel, returned in page order.
        List<Supplier<RenderedChart>> out = new ArrayList<>();
        if (trained == null || trained.heads().isEmpty()) {
            return List.of();
        }
        int dHead = dHead(report);
        int layers = report.model() != null ? report.model().nLayers() : 0;
        int heads = report.model() != null ? report.model().nHeads() : 0;

        out.add(() -> write(EigenvalueHistogramChart.draw(trained, CircuitType.QK, dHead), outputDir, QK_DISTRIBUTION,
                "QK eigenvalue distribution",
                "Real parts of the core eigenvalues of every head's QK circuit: full range and a zoom near zero."));
        out.add(() -> write(EigenvalueHistogramChart.draw(trained, CircuitType.OV, dHead), outputDir, OV_DISTRIBUTION,
                "OV eigenvalue distribution",
                "Real parts of the core eigenvalues of every head's OV circuit: full range and a zoom near zero."));
        ModelSpectra control = report.control();
        if (control != null && !control.heads().isEmpty()) {
            out.add(() -> write(ComparisonChart.draw(trained, control, CircuitType.QK, comparisonLines(report, CircuitType.QK)), outputDir,
                    QK_COMPARISON, "QK: trained vs control",
                    "Distribution of Re λ / σ₁ for the trained model and a randomly initialised control."));
            out.add(() -> write(ComparisonChart.draw(trained, control, CircuitType.OV, comparisonLines(report, CircuitType.OV)), outputDir,
                    OV_COMPARISON, "OV: trained vs control",
                    "Distribution of Re λ / σ₁ for the trained model and a randomly initialised control."));
        }
        out.add(() -> write(ComplexPlaneChart.draw(trained, layers), outputDir, COMPLEX_PLANE,
                "Eigenvalues in the complex plane", "Core eigenvalues of the QK and OV circuits, coloured by layer."));

        HeatGrid positivity = ChartData.heatGrid(trained, CircuitType.OV, "positivity", layers, heads);
        out.add(() -> write(HeatMapChart.draw("OV positivity per head (copying score)",
                        List.of("Σ Re λ / Σ |λ| of each head's OV circuit: +1 copies its input token, "
                                + "-1 suppresses it, 0 neither"),
                        List.of(new HeatMapChart.Panel(null, positivity, ColourScale.diverging(1),
                                "positivity", "%+.2f", 0.25))),
                outputDir, OV_POSITIVITY, "OV positivity per head",
                "Copying score of every head: red copies, blue suppresses."));

        ColourScale rankScale = ColourScale.viridis(1, Math.max(2, dHead));
        out.add(() -> write(HeatMapChart.draw("Effective rank per head",
                        List.of(String.format(Locale.ROOT, "exp(entropy of normalised singular values): "
                                + "1 = one direction dominates, %d = all d_head directions used equally", dHead)),
                        List.of(new HeatMapChart.Panel("QK circuit",
                                        ChartData.heatGrid(trained, CircuitType.QK, "effectiveRank", layers, heads),
                                        rankScale, "effective rank", "%.1f", rankTick(dHead)),
                                new HeatMapChart.Panel("OV circuit",
                                        ChartData.heatGrid(trained, CircuitType.OV, "effectiveRank", layers, heads),
                                        rankScale, "effective rank", "%.1f", rankTick(dHead)))),
                outputDir, EFFECTIVE_RANK, "Effective rank per head",
                "Effective rank of every head's QK and OV circuit on one colour scale from 1 to d_head."));
        return out.parallelStream().map(Supplier::get).toList();
    }

    /** The pooled test results under the comparison chart's title, when the report has a comparison. */
    static List<String> comparisonLines(SpectralReport report, CircuitType type) {
        if (report.comparison() == null || report.comparison().circuit(type) == null
                || report.comparison().circuit(type).eigenvalueModuli() == null) {
            return List.of();
        }
        var d = report.comparison().circuit(type).eigenvalueModuli();
        return List.of(String.format(Locale.ROOT,
                "|λ|/σ₁ pooled over heads: Kolmogorov-Smirnov D = %.3f (p = %s), Wasserstein-1 = %.3f",
                d.ksStatistic(), d.ksPValue() < 1e-4 ? String.format(Locale.ROOT, "%.1e", d.ksPValue())
                        : String.format(Locale.ROOT, "%.4f", d.ksPValue()), d.wasserstein1()));
    }

    /** About eight ticks on the effective-rank colour bar, on whole numbers. */
    private static double rankTick(int dHead) {
        return Math.max(1, Math.ceil((dHead - 1) / 8.0));
    }

    private static int dHead(SpectralReport report) {
        if (report.model() != null && report.model().dHead() > 0) {
            return report.model().dHead();
        }
        int k = 1;
        for (HeadSpectra h : report.trained().heads()) {
            k = Math.max(k, h.qk().rankBound());
        }
        return k;
    }

    private static RenderedChart write(BufferedImage image, Path dir, String name, String title, String caption) {
        Path file = dir.resolve(name);
        PngFiles.write(image, file);
        return new RenderedChart(file, title, caption);
    }
}
