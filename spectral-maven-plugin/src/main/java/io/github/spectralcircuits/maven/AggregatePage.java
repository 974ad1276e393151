package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.aggregate.Checkpoint;
import io.github.spectralcircuits.aggregate.HeadChange;
import io.github.spectralcircuits.aggregate.HeadStats;
import io.github.spectralcircuits.aggregate.SpectralAggregate;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.report.charts.RenderedChart;
import io.github.spectralcircuits.spectra.CircuitType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.maven.doxia.sink.Sink;

/**
 * The body of spectral-aggregate.html as Doxia sink events: the checkpoints in order, the heads that change
 * most along them, and the charts. In a site the skin wraps it; alone, StandalonePage does.
 */
final class AggregatePage {
    static final String TITLE = "Spectral trajectories";
    /** Up to this many checkpoints the table of changing heads has a column per checkpoint; beyond, first and last. */
    static final int VALUE_COLUMNS = 12;

    private final Sink sink;
    private final SpectralAggregate aggregate;
    private final List<RenderedChart> charts;
    private final String imagePrefix;
    private final String source;
    private int level;

    /**
     * @param imagePrefix the charts' directory relative to the page, ending in '/' (or empty)
     * @param source      where the checkpoints came from, in words
     */
    AggregatePage(Sink sink, SpectralAggregate aggregate, List<RenderedChart> charts, String imagePrefix, String source) {
        this.sink = sink;
        this.aggregate = aggregate;
        this.charts = charts;
        this.imagePrefix = imagePrefix;
        this.source = source;
    }

    /** A whole document, as the site plugin expects from a report. */
    void render() {
        sink.head();
        sink.title();
        sink.text(TITLE);
        sink.title_();
        sink.head_();
        sink.body();
        renderBody();
        sink.body_();
        sink.flush();
        sink.close();
    }

    void renderBody() {
        section(TITLE, "spectral-trajectories");
        paragraph(aggregate.checkpoints().size() + " checkpoints, in " + source + ": "
                + String.join(", ", aggregate.names()) + ". Each was analysed on its own (spectral:analyze); this page "
                + "follows every attention head's QK and OV circuit statistics from one checkpoint to the next.");
        checkpoints();
        changingHeads();
        chartsSection();
        sectionEnd();
        sink.rawText(SpectralReportPage.SORTABLE_TABLES);
    }

    private void checkpoints() {
        section("Checkpoints", "checkpoints");
        table("#", "checkpoint", "architecture", "layers × heads", "fingerprint", "mean QK σ₁", "mean OV σ₁",
                "thinking heads");
        int i = 1;
        for (Checkpoint c : aggregate.checkpoints()) {
            var m = c.model();
            row(Integer.toString(i++), c.name(), m == null ? null : m.architecture(),
                    m == null ? null : m.nLayers() + " × " + m.nHeads(), fingerprint(c.fingerprint()),
                    Numbers.format(mean(c, CircuitType.QK)), Numbers.format(mean(c, CircuitType.OV)),
                    c.thinkingHeads() == null ? "no control" : Integer.toString(c.thinkingHeads().size()));
        }
        tableEnd();
        sectionEnd();
    }

    private void changingHeads() {
        section("Heads that change most", "changing-heads");
        List<HeadChange> changes = aggregate.mostChanged();
        if (changes.isEmpty()) {
            paragraph("No head's spectral norm, effective rank, stable rank or positivity changes along the "
                    + "checkpoints (beyond rounding): the checkpoints' attention circuits are the same.");
            sectionEnd();
            return;
        }
        paragraph("Each head by the statistic in which it changes most: change = (largest − smallest value along the "
                + "checkpoints) / the statistic's mean absolute value over all heads and checkpoints, so that "
                + "statistics of different scales compare.");
        List<String> names = aggregate.names();
        boolean all = names.size() <= VALUE_COLUMNS;
        List<String> header = new ArrayList<>(List.of("rank", "head", "circuit", "statistic", "change"));
        header.addAll(all ? names : List.of(names.get(0), names.get(names.size() - 1)));
        table(header.toArray(String[]::new));
        for (HeadChange h : changes) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(h.rank()),
                    String.format(Locale.ROOT, "L%dH%d", h.layer(), h.head()), h.circuit().name(), h.metric(),
                    Numbers.format(h.change())));
            double[] v = h.values();
            if (all) {
                Arrays.stream(v).mapToObj(Numbers::format).forEach(cells::add);
            } else {
                cells.add(Numbers.format(v[0]));
                cells.add(Numbers.format(v[v.length - 1]));
            }
            row(cells.toArray(String[]::new));
        }
        tableEnd();
        sectionEnd();
    }

    private void chartsSection() {
        section("Charts", "charts");
        for (RenderedChart c : charts) {
            ChartFigures.write(sink, imagePrefix, c);
        }
        sectionEnd();
    }

    private static double mean(Checkpoint c, CircuitType type) {
        return c.heads().stream().mapToDouble((HeadStats h) -> h.circuit(type).stats().spectralNorm()).average()
                .orElse(Double.NaN);
    }

    /** "a1b2c3d4e5f6 (130 tensors, 1.2 GB)", or none. */
    static String fingerprint(WeightsFingerprint f) {
        return f == null || f.value() == null ? null : f.describe();
    }

    private void section(String name, String anchor) {
        level++;
        sink.section(level, null);
        sink.anchor(anchor);
        sink.anchor_();
        sink.sectionTitle(level, null);
        sink.text(name);
        sink.sectionTitle_(level);
    }

    private void sectionEnd() {
        sink.section_(level);
        level--;
    }

    private void paragraph(String text) {
        sink.paragraph();
        sink.text(text);
        sink.paragraph_();
    }

    private void table(String... header) {
        sink.table();
        sink.tableRows(null, false);
        sink.tableRow();
        for (String h : header) {
            sink.tableHeaderCell();
            sink.text(h);
            sink.tableHeaderCell_();
        }
        sink.tableRow_();
    }

    private void tableEnd() {
        sink.tableRows_();
        sink.table_();
    }

    /** Plain-text cells; "-" for none, so that an empty cell still reads as "no value". */
    private void row(String... cells) {
        sink.tableRow();
        for (String c : cells) {
            sink.tableCell();
            sink.text(c == null || c.isEmpty() ? "-" : c);
            sink.tableCell_();
        }
        sink.tableRow_();
    }
}
