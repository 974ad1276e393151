package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.compare.ReferenceComparison;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.HeavyTailFits;
import io.github.spectralcircuits.spectra.LayerTailFit;
import java.util.List;

/**
 * The page's sections on what changed against a reference model (changedHeads) and on the layers' heavy-tail
 * fits; each appears only when the report has that part.
 */
final class ReferenceAndTailSections {
    /** changedHeads rows shown; the report keeps every circuit. */
    static final int MAX_CHANGED_ROWS = 20;

    private ReferenceAndTailSections() {
    }

    static void render(SpectralReportPage page, SpectralReport report) {
        if (report.changedHeads() != null) {
            changed(page, report.referenceComparison(), report.changedHeads());
        }
        if (report.heavyTailFits() != null) {
            tails(page, report.heavyTailFits());
        }
    }

    private static void changed(SpectralReportPage page, ReferenceComparison c, List<ChangedHead> heads) {
        page.section("Change from the reference model", "reference-change");
        page.para("Each circuit against the same head's circuit in the reference model" + (c == null ? "" : " "
                + c.reference() + " (embedding " + c.embedding() + ", unembedding " + c.unembedding() + "; "
                + c.changedCircuits() + " of " + c.circuits() + " circuits changed)") + ". Score = " + (c == null
                ? ReferenceComparison.SCORE : c.score()) + "; the subspaces are the " + (c == null
                ? ReferenceComparison.SUBSPACES : c.subspaces()) + ". Largest change first.");
        page.table("rank", "head", "circuit", "score", "Δσ (relative)", "Δσ₁ (relative)", "σ₁ reference", "σ₁ now",
                "k", "largest angle (°)");
        for (ChangedHead h : heads.subList(0, Math.min(MAX_CHANGED_ROWS, heads.size()))) {
            page.row(Integer.toString(h.rank()), "L" + h.layer() + "H" + h.head(), h.circuit().name(),
                    Numbers.format(h.score()), Numbers.format(h.singularValueChange()),
                    Numbers.format(h.spectralNormChange()), Numbers.format(h.referenceSpectralNorm()),
                    Numbers.format(h.spectralNorm()), Integer.toString(h.subspaceDimension()),
                    Numbers.format(h.maxAngleDegrees()));
        }
        page.tableEnd();
        if (heads.size() > MAX_CHANGED_ROWS) {
            page.para("The " + MAX_CHANGED_ROWS + " largest of " + heads.size() + " circuits are shown; "
                    + "spectral-report.json lists them all, with every principal angle.");
        }
        page.sectionEnd();
    }

    private static void tails(SpectralReportPage page, HeavyTailFits fits) {
        page.section("Heavy-tailed layers", "heavy-tails");
        page.para("Per layer and circuit, a " + fits.method() + " (tails of at least " + fits.minimumTail()
                + " values). WeightWatcher reads alpha between about 2 and 6 as well trained; random weights give a "
                + "light tail (large alpha or a poor fit). KS D: Kolmogorov-Smirnov distance of the tail from the fit.");
        boolean control = fits.control() != null && fits.control().size() == fits.trained().size();
        if (control) {
            page.table("layer", "circuit", "values", "tail", "x_min (σ²)", "α", "± (std. error)", "KS D",
                    "control α", "control KS D");
        } else {
            page.table("layer", "circuit", "values", "tail", "x_min (σ²)", "α", "± (std. error)", "KS D");
        }
        for (int i = 0; i < fits.trained().size(); i++) {
            LayerTailFit t = fits.trained().get(i);
            String[] cells = {Integer.toString(t.layer()), t.circuit().name(), Integer.toString(t.n()),
                Integer.toString(t.nTail()), Numbers.format(t.xmin()), Numbers.format(t.alpha()),
                Numbers.format(t.alphaStdError()), Numbers.format(t.ksDistance())};
            if (control) {
                LayerTailFit c = fits.control().get(i);
                String[] more = java.util.Arrays.copyOf(cells, cells.length + 2);
                more[cells.length] = Numbers.format(c.alpha());
                more[cells.length + 1] = Numbers.format(c.ksDistance());
                cells = more;
            }
            page.row(cells);
        }
        page.tableEnd();
        page.sectionEnd();
    }
}
