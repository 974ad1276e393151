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

/**
 * The body of spectral-report.html as Doxia sink events, so the site skin wraps it like any other
 * report: summary, checks, charts, per-head tables, and the comparison sections when the report has them.
 * The same events make the standalone page (see StandalonePage), which wraps the body in its own shell.
 */
final class SpectralReportPage {
    static final String TITLE = "Spectral circuits";

    private final Sink sink;
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
        this.sink = sink;
        this.report = report;
        this.charts = charts;
        this.imagePrefix = imagePrefix;
        this.source = source;
    }

    /** A whole document (head with the title, then the body), as a site sink expects from a report. */
    void render() {
        sink.head();
        sink.title();
        text(TITLE);
        sink.title_();
        sink.head_();
        sink.body();
        renderBody();
        sink.body_();
        sink.flush();
        sink.close();
    }

    /** The page's content only, without head or body events. */
    void renderBody() {
        startSection(TITLE, "spectral-circuits");
        paragraph("Spectra of the full QK circuit (W_E W_Q W_Kᵀ W_Eᵀ: where a head attends) and the full OV circuit "
                + "(W_E W_V W_O W_U: what it writes) of every attention head, after Elhage et al. (2021), "
                + "\"A Mathematical Framework for Transformer Circuits\". Each circuit is a V × V matrix of rank at "
                + "most d_head; its d_head core eigenvalues and singular values are exact, the other eigenvalues "
                + "are zero by construction. Numbers from " + source + ".");
        summary();
        checks();
        chartsSection();
        ComparisonSections.render(this, report);
        ReferenceAndTailSections.render(this, report);
        headTables();
        DepthSections.render(this, report);
        ComparisonSections.renderPerHead(this, report);
        endSection();
        sink.rawText(SORTABLE_TABLES);
    }

    /**
     * Click a column header to sort a table by it (numbers numerically, by their leading number), click
     * again to reverse. Plain script, no library: the site skin brings none we could rely on.
     */
    static final String SORTABLE_TABLES = "<script>\n"
            + "(function () {\n"
            + "  function key(cell) {\n"
            + "    var t = cell.textContent.trim(), m = t.match(/^L(\\d+)H(\\d+)$/);\n"
            + "    if (m) { return 100000 * m[1] + Number(m[2]); }\n"
            + "    var n = parseFloat(t);\n"
            + "    return isNaN(n) ? t.toLowerCase() : n;\n"
            + "  }\n"
            + "  document.querySelectorAll('table').forEach(function (table) {\n"
            + "    var rows = table.querySelectorAll('tr');\n"
            + "    if (rows.length < 4) { return; }\n"
            + "    rows[0].querySelectorAll('th').forEach(function (th, col) {\n"
            + "      th.style.cursor = 'pointer';\n"
            + "      th.title = 'click to sort';\n"
            + "      th.addEventListener('click', function () {\n"
            + "        var body = rows[1].parentNode, data = Array.prototype.slice.call(table.querySelectorAll('tr'), 1);\n"
            + "        var dir = th.getAttribute('data-sort') === 'asc' ? -1 : 1;\n"
            + "        th.setAttribute('data-sort', dir === 1 ? 'asc' : 'desc');\n"
            + "        data.sort(function (a, b) {\n"
            + "          var x = key(a.children[col]), y = key(b.children[col]);\n"
            + "          if (typeof x !== typeof y) { x = String(x); y = String(y); }\n"
            + "          return (x < y ? -1 : x > y ? 1 : 0) * dir;\n"
            + "        });\n"
            + "        data.forEach(function (r) { body.appendChild(r); });\n"
            + "      });\n"
            + "    });\n"
            + "  });\n"
            + "})();\n"
            + "</script>\n";

    private void summary() {
        startSection("Summary", "summary");
        sink.list();
        for (String finding : HeadlineFindings.of(report)) {
            sink.listItem();
            text(finding);
            sink.listItem_();
        }
        sink.list_();
        ModelInfo m = report.model();
        if (m != null) {
            caption("Model: " + m.path());
            wideRow(new String[] {"architecture", "vocabulary V", "d_model", "layers × heads", "key/value heads",
                "d_head (rank bound)", "unembedding", "dtype"},
                    new String[] {m.architecture(), Integer.toString(m.vocabSize()), Integer.toString(m.dModel()),
                        m.nLayers() + " × " + m.nHeads(), Integer.toString(m.nKvHeads()), Integer.toString(m.dHead()),
                        m.tiedEmbeddings() ? "tied" : "lm_head", m.dtype()});
        }
        AnalysisSettings s = report.settings();
        if (s != null) {
            caption("Settings");
            wideRow(new String[] {"foldNorms", "nearZeroTolerance", "rankTolerance", "control", "highRankFraction",
                "zThreshold", "layers", "heads", "verifyDense"},
                    new String[] {Boolean.toString(s.foldNorms()), Numbers.format(s.nearZeroTolerance()),
                        Numbers.format(s.rankTolerance()), s.control() ? "on, seed " + s.controlSeed() : "off",
                        Numbers.format(s.highRankFraction()), Numbers.format(s.zThreshold()),
                        s.layers().isEmpty() ? "all" : new TreeSet<>(s.layers()).toString(),
                        s.heads().isEmpty() ? "all" : new TreeSet<>(s.heads()).toString(),
                        Boolean.toString(s.verifyDense())});
        }
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
                sink.tableRow();
                cell(c.rule());
                sink.tableCell();
                if (c.passed()) {
                    text("passed");
                } else {
                    sink.bold();
                    text("FAILED");
                    sink.bold_();
                }
                sink.tableCell_();
                cell(c.message());
                sink.tableRow_();
            }
            endTable();
        }
        endSection();
    }

    private void chartsSection() {
        startSection("Charts", "charts");
        for (RenderedChart c : charts) {
            ChartFigures.write(sink, imagePrefix, c);
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
            String[] header = {"layer", "head", "kv head", "λ₁ (largest |λ|)", "spectral norm σ₁", "numerical rank",
                "effective rank", "stable rank", "near-zero ratio", "positivity", "trace", "Frobenius norm"};
            int[] align = new int[header.length];
            java.util.Arrays.fill(align, Sink.JUSTIFY_RIGHT);
            startTable(align, false);
            tableHeader(header);
            for (HeadSpectra h : report.trained().heads()) {
                CircuitSpectrum c = h.circuit(type);
                CircuitStats s = c.stats();
                double re = c.eigenvalues().re().length > 0 ? c.eigenvalues().re()[0] : 0;
                double im = c.eigenvalues().im().length > 0 ? c.eigenvalues().im()[0] : 0;
                sink.tableRow();
                cell(Integer.toString(h.layer()));
                cell(Integer.toString(h.head()));
                cell(Integer.toString(h.kvHead()));
                cell(Numbers.complex(re, im));
                cell(Numbers.format(s.spectralNorm()));
                cell(s.numericalRank() + " / " + c.rankBound());
                cell(Numbers.format(s.effectiveRank()));
                cell(Numbers.format(s.stableRank()));
                cell(Numbers.percent(s.nearZeroRatio()));
                tintedCell(String.format(java.util.Locale.ROOT, "%+.3f", s.positivity()), s.positivity());
                cell(Numbers.format(s.trace()));
                cell(Numbers.format(s.frobeniusNorm()));
                sink.tableRow_();
            }
            endTable();
            endSection();
        }
    }

    // The structure events of maven-reporting-impl's AbstractMavenReportRenderer, which this page used to
    // extend: the same events keep the site page exactly as it was without that library (and the ~70
    // artifacts it brings) on the plugin's class path.

    private int sectionLevel;

    private void startSection(String name, String anchor) {
        sectionLevel++;
        sink.section(sectionLevel, null);
        sink.anchor(anchor);
        sink.anchor_();
        sink.sectionTitle(sectionLevel, null);
        text(name);
        sink.sectionTitle_(sectionLevel);
    }

    private void endSection() {
        if (sectionLevel == 0) {
            throw new IllegalStateException("endSection without a section");
        }
        sink.section_(sectionLevel);
        sectionLevel--;
    }

    private void startTable() {
        startTable(null, false);
    }

    private void startTable(int[] justification, boolean grid) {
        sink.table();
        sink.tableRows(justification, grid);
    }

    private void endTable() {
        sink.tableRows_();
        sink.table_();
    }

    private void tableHeader(String[] header) {
        sink.tableRow();
        for (String h : header) {
            sink.tableHeaderCell();
            text(h);
            sink.tableHeaderCell_();
        }
        sink.tableRow_();
    }

    private void paragraph(String text) {
        sink.paragraph();
        text(text);
        sink.paragraph_();
    }

    /** Text, or "-" for none, so that an empty cell still reads as "no value". */
    private void text(String text) {
        sink.text(text == null || text.isEmpty() ? "-" : text);
    }

    // helpers shared with ComparisonSections: widened to the package

    void caption(String text) {
        sink.paragraph();
        sink.bold();
        text(text);
        sink.bold_();
        sink.paragraph_();
    }

    /** A header row and one value row: a record's fields across the page rather than down it. */
    void wideRow(String[] header, String[] values) {
        startTable();
        tableHeader(header);
        row(values);
        endTable();
    }

    void cell(String text) {
        sink.tableCell();
        text(text);
        sink.tableCell_();
    }

    /** A cell tinted by a value in [-1, 1] on the same red/blue scale as the positivity heat map, lightened to keep the text readable. */
    void tintedCell(String text, double value) {
        java.awt.Color c = io.github.spectralcircuits.report.charts.ColourScale.diverging(1).colour(value);
        int r = (c.getRed() + 2 * 255) / 3;
        int g = (c.getGreen() + 2 * 255) / 3;
        int b = (c.getBlue() + 2 * 255) / 3;
        SinkEventAttributeSet style = new SinkEventAttributeSet();
        style.addAttribute(SinkEventAttributes.STYLE, String.format(java.util.Locale.ROOT, "background-color: #%02x%02x%02x;", r, g, b));
        sink.tableCell(style);
        text(text);
        sink.tableCell_();
    }

    /** A row of plain-text cells (the base class's tableRow would read "{a, b}" in a cell as a link). */
    void row(String... cells) {
        sink.tableRow();
        for (String c : cells) {
            cell(c);
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
