package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.RenderedChart;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import java.util.List;
import java.util.TreeSet;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.doxia.sink.SinkEventAttributes;
import org.apache.maven.doxia.sink.impl.SinkEventAttributeSet;
import org.apache.maven.reporting.AbstractMavenReportRenderer;

/**
 * The body of spectral-report.html as Doxia sink events, so the site skin wraps it like any other
 * report: summary, checks, charts, per-head tables, and the comparison sections when the report has them.
 */
final class SpectralReportPage extends AbstractMavenReportRenderer {
    static final String TITLE = "Spectral circuits";

    private final SpectralReport report;
    private final List<RenderedChart> charts;
    private final String imagePrefix;
    private final String source;

    /**
     * @param imagePrefix path of the chart directory relative to the page, ending in '/'
     * @param source      where the numbers came from, in words (a report file or a fresh analysis)
     */
    SpectralReportPage(Sink sink, SpectralReport report, List<RenderedChart> charts, String imagePrefix,
                       String source) {
        super(sink);
        this.report = report;
        this.charts = charts;
        this.imagePrefix = imagePrefix;
        this.source = source;
    }

    @Override
    public String getTitle() {
        return TITLE;
    }

    @Override
    protected void renderBody() {
        startSection(TITLE, "spectral-circuits");
        paragraph("Spectra of the full QK circuit (W_E W_Q W_Kᵀ W_Eᵀ: where a head attends) and the full OV circuit "
                + "(W_E W_V W_O W_U: what it writes) of every attention head, after Elhage et al. (2021), "
                + "\"A Mathematical Framework for Transformer Circuits\". Each circuit is a V × V matrix of rank at "
                + "most d_head; its d_head core eigenvalues and singular values are exact, the other eigenvalues "
                + "are zero by construction. Numbers from " + source + ".");
        summary();
        checks();
        chartsSection();
        headTables();
        ComparisonSections.render(this, report);
        endSection();
    }

    private void summary() {
        startSection("Summary", "summary");
        ModelInfo m = report.model();
        if (m != null) {
            keyValueTable("Model", new String[][] {
                {"path", m.path()},
                {"architecture", m.architecture()},
                {"vocabulary size V", Integer.toString(m.vocabSize())},
                {"d_model", Integer.toString(m.dModel())},
                {"layers × heads", m.nLayers() + " × " + m.nHeads() + " (" + m.nKvHeads() + " key/value heads)"},
                {"d_head (rank bound)", Integer.toString(m.dHead())},
                {"unembedding", m.tiedEmbeddings() ? "tied to the embedding" : "separate (lm_head)"},
                {"dtype", m.dtype()}});
        }
        AnalysisSettings s = report.settings();
        if (s != null) {
            keyValueTable("Settings", new String[][] {
                {"foldNorms", Boolean.toString(s.foldNorms())},
                {"nearZeroTolerance", Numbers.format(s.nearZeroTolerance())},
                {"rankTolerance", Numbers.format(s.rankTolerance())},
                {"control", s.control() ? "on (seed " + s.controlSeed() + ")" : "off"},
                {"highRankFraction", Numbers.format(s.highRankFraction())},
                {"zThreshold", Numbers.format(s.zThreshold())},
                {"layers", s.layers().isEmpty() ? "all" : new TreeSet<>(s.layers()).toString()},
                {"heads", s.heads().isEmpty() ? "all" : new TreeSet<>(s.heads()).toString()},
                {"verifyDense", Boolean.toString(s.verifyDense())}});
        }
        sink.paragraph();
        sink.bold();
        text("Headline findings");
        sink.bold_();
        sink.paragraph_();
        sink.list();
        for (String finding : HeadlineFindings.of(report)) {
            sink.listItem();
            text(finding);
            sink.listItem_();
        }
        sink.list_();
        endSection();
    }

    private void checks() {
        List<CheckResult> checks = report.checks() == null ? List.of() : report.checks();
        startSection("Checks", "checks");
        if (checks.isEmpty()) {
            paragraph("No rules were evaluated (configure <rules> and run spectral:check).");
        } else {
            startTable();
            tableHeader(new String[] {"rule", "result", "message"});
            for (CheckResult c : checks) {
                row(c.rule(), c.passed() ? "passed" : "FAILED", c.message());
            }
            endTable();
        }
        endSection();
    }

    private void chartsSection() {
        startSection("Charts", "charts");
        for (RenderedChart c : charts) {
            sink.paragraph();
            sink.bold();
            text(c.title());
            sink.bold_();
            sink.paragraph_();
            SinkEventAttributeSet img = new SinkEventAttributeSet();
            img.addAttribute(SinkEventAttributes.ALT, c.title());
            img.addAttribute(SinkEventAttributes.STYLE, "max-width: 100%; height: auto;");
            sink.figure();
            sink.figureGraphics(imagePrefix + c.fileName(), img);
            sink.figureCaption();
            text(c.caption());
            sink.figureCaption_();
            sink.figure_();
        }
        endSection();
    }

    private void headTables() {
        for (CircuitType type : CircuitType.values()) {
            startSection(type + " circuit per head", type.name().toLowerCase() + "-heads");
            paragraph(type == CircuitType.QK
                    ? "λ₁ is the core eigenvalue of largest modulus; positivity = Σ Re λ / Σ |λ| (positive: the head "
                            + "attends to tokens like the query token)."
                    : "λ₁ is the core eigenvalue of largest modulus; positivity = Σ Re λ / Σ |λ| is the copying "
                            + "score (positive: attending to a token raises that token's logit).");
            startTable();
            tableHeader(new String[] {"layer", "head", "kv head", "λ₁", "spectral norm σ₁", "numerical rank",
                "effective rank", "stable rank", "near-zero ratio", "positivity", "trace", "Frobenius norm"});
            for (HeadSpectra h : report.trained().heads()) {
                CircuitSpectrum c = h.circuit(type);
                CircuitStats s = c.stats();
                double re = c.eigenvalues().re().length > 0 ? c.eigenvalues().re()[0] : 0;
                double im = c.eigenvalues().im().length > 0 ? c.eigenvalues().im()[0] : 0;
                row(Integer.toString(h.layer()), Integer.toString(h.head()), Integer.toString(h.kvHead()),
                        Numbers.complex(re, im), Numbers.format(s.spectralNorm()),
                        s.numericalRank() + " / " + c.rankBound(), Numbers.format(s.effectiveRank()),
                        Numbers.format(s.stableRank()), Numbers.percent(s.nearZeroRatio()),
                        Numbers.signed(s.positivity()), Numbers.format(s.trace()), Numbers.format(s.frobeniusNorm()));
            }
            endTable();
            endSection();
        }
    }

    // helpers shared with ComparisonSections: the protected ones of the base class, widened to the package

    void keyValueTable(String caption, String[][] rows) {
        sink.paragraph();
        sink.bold();
        text(caption);
        sink.bold_();
        sink.paragraph_();
        startTable();
        for (String[] r : rows) {
            sink.tableRow();
            sink.tableHeaderCell();
            text(r[0]);
            sink.tableHeaderCell_();
            sink.tableCell();
            text(r[1]);
            sink.tableCell_();
            sink.tableRow_();
        }
        endTable();
    }

    /** A row of plain-text cells (the base class's tableRow would read "{a, b}" in a cell as a link). */
    void row(String... cells) {
        sink.tableRow();
        for (String c : cells) {
            sink.tableCell();
            text(c);
            sink.tableCell_();
        }
        sink.tableRow_();
    }

    void section(String name, String anchor) {
        startSection(name, anchor);
    }

    void sectionEnd() {
        endSection();
    }

    void table(String... header) {
        startTable();
        tableHeader(header);
    }

    void tableEnd() {
        endTable();
    }

    void para(String text) {
        paragraph(text);
    }

    Sink sink() {
        return sink;
    }
}
