package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.report.charts.ColourScale;
import io.github.spectralcircuits.report.charts.LabelledHeatMapChart;
import io.github.spectralcircuits.report.charts.RenderedChart;
import io.github.spectralcircuits.report.charts.TrajectoryChart;
import io.github.spectralcircuits.spectra.CircuitType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The aggregate's charts: the trajectories of the heads that change most (one panel per tracked statistic
 * and circuit, one line per head), and a heat map of every head's spectral norm at every checkpoint,
 * relative to the head's first checkpoint. Both name the checkpoints on their axes.
 */
public final class AggregateCharts {
    public static final String TRAJECTORIES = "trajectories.png";
    public static final String SPECTRAL_NORM_HEAT_MAP = "heatmap_spectral_norm_ratio.png";

    private static final Map<String, String> LABELS = Map.of("spectralNorm", "spectral norm σ₁",
            "effectiveRank", "effective rank", "stableRank", "stable rank", "positivity", "positivity");

    private AggregateCharts() {
    }

    /** Writes the charts into directory and returns them in page order (no trajectory chart when no head changes). */
    public static List<RenderedChart> render(SpectralAggregate aggregate, Path directory) {
        Trajectories t = Trajectories.of(aggregate.checkpoints());
        List<RenderedChart> out = new ArrayList<>();
        if (!aggregate.mostChanged().isEmpty()) {
            out.add(TrajectoryChart.write(directory.resolve(TRAJECTORIES), "Heads that change most along the checkpoints",
                    List.of("Each line is one head, in the same colour in every panel; " + aggregate.checkpoints().size()
                            + " checkpoints from " + first(aggregate) + " to " + last(aggregate)),
                    t.checkpoints(), trajectoryPanels(aggregate, t),
                    "The " + aggregate.mostChanged().size() + " heads whose statistics change most, followed across "
                            + "the checkpoints " + String.join(", ", abbreviated(t.checkpoints())) + "."));
        }
        double[][][] grids = {ratioGrid(t, CircuitType.QK), ratioGrid(t, CircuitType.OV)};
        double limit = colourLimit(grids);
        List<String> rows = t.heads().stream().map(Trajectories.Head::label).toList();
        List<LabelledHeatMapChart.Grid> panels = List.of(
                new LabelledHeatMapChart.Grid("QK circuit", rows, t.checkpoints(), grids[0], AggregateCharts::ratioLabel),
                new LabelledHeatMapChart.Grid("OV circuit", rows, t.checkpoints(), grids[1], AggregateCharts::ratioLabel));
        out.add(LabelledHeatMapChart.write(directory.resolve(SPECTRAL_NORM_HEAT_MAP),
                "Spectral norm of every head, relative to its first checkpoint",
                List.of("log₂(σ₁ / σ₁ at the head's first checkpoint): white unchanged, red grown, blue shrunk; "
                        + "changed cells show the ratio"),
                panels, ColourScale.diverging(limit), "log₂ ratio", tick(limit),
                "Every head (rows) at every checkpoint (columns): its spectral norm divided by its spectral norm at "
                        + first(aggregate) + "."));
        return out;
    }

    static List<TrajectoryChart.Panel> trajectoryPanels(SpectralAggregate aggregate, Trajectories t) {
        List<TrajectoryChart.Panel> panels = new ArrayList<>();
        for (String metric : Trajectories.TRACKED) {
            for (CircuitType c : CircuitType.values()) {
                List<TrajectoryChart.Line> lines = new ArrayList<>();
                for (HeadChange h : aggregate.mostChanged()) {
                    Trajectories.Head head = new Trajectories.Head(h.layer(), h.head());
                    lines.add(new TrajectoryChart.Line(head.label(), t.values(head, c, metric)));
                }
                panels.add(new TrajectoryChart.Panel(c + " " + LABELS.get(metric), LABELS.get(metric), lines));
            }
        }
        return panels;
    }

    /** log2(value / value at the head's first checkpoint that has it), [head][checkpoint]; NaN where missing. */
    static double[][] ratioGrid(Trajectories t, CircuitType circuit) {
        List<Trajectories.Head> heads = t.heads();
        double[][] grid = new double[heads.size()][];
        for (int r = 0; r < heads.size(); r++) {
            double[] v = t.values(heads.get(r), circuit, "spectralNorm");
            double base = Double.NaN;
            for (double x : v) {
                if (Double.isFinite(x)) {
                    base = x;
                    break;
                }
            }
            double[] row = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                row[i] = base > 0 && v[i] > 0 ? Math.log(v[i] / base) / Math.log(2) : Double.NaN;
            }
            grid[r] = row;
        }
        return grid;
    }

    /** The colour scale's half-width: the largest |log2 ratio|, at least 0.5 (a 41 % change), in quarter steps. */
    static double colourLimit(double[][][] grids) {
        double max = 0;
        for (double[][] g : grids) {
            for (double[] row : g) {
                for (double v : row) {
                    if (Double.isFinite(v)) {
                        max = Math.max(max, Math.abs(v));
                    }
                }
            }
        }
        return Math.max(0.5, Math.ceil(max * 4) / 4);
    }

    private static double tick(double limit) {
        return limit <= 1 ? 0.25 : limit <= 2 ? 0.5 : 1;
    }

    /** "×1.50"; nothing for an unchanged cell, so the changed ones stand out (the first column is all unchanged). */
    static String ratioLabel(double log2Ratio) {
        if (Math.abs(log2Ratio) < 1e-6) {
            return "";
        }
        return String.format(Locale.ROOT, "×%.2f", Math.pow(2, log2Ratio));
    }

    private static String first(SpectralAggregate a) {
        return a.checkpoints().get(0).name();
    }

    private static String last(SpectralAggregate a) {
        return a.checkpoints().get(a.checkpoints().size() - 1).name();
    }

    /** At most a dozen names for a caption: the first ten, an ellipsis, the last. */
    static List<String> abbreviated(List<String> names) {
        if (names.size() <= 12) {
            return names;
        }
        List<String> out = new ArrayList<>(names.subList(0, 10));
        out.add("…");
        out.add(names.get(names.size() - 1));
        return out;
    }
}
