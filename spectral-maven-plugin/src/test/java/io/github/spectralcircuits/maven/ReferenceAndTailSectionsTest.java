package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.compare.ReferenceComparison;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeavyTailFits;
import io.github.spectralcircuits.spectra.LayerTailFit;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.doxia.sink.impl.Xhtml5BaseSink;
import org.junit.jupiter.api.Test;

class ReferenceAndTailSectionsTest {
    private static String render(SpectralReport r) {
        StringWriter out = new StringWriter();
        new SpectralReportPage(new Xhtml5BaseSink(out), r, List.of(), "spectral/", "a test").render();
        return out.toString();
    }

    @Test
    void changedHeadsAndTailFitsAreTabulated() {
        SpectralReport base = SpectralReportPageTest.report(new double[][] {{0.5, -0.5}, {0.1, 0.2}}, List.of());
        List<ChangedHead> changed = new ArrayList<>();
        changed.add(new ChangedHead(1, 1, 0, CircuitType.OV, 0.5, 0.5, 0.5, 3, 2, 8, 2.5e-6, new double[8], new double[8]));
        for (int i = 0; i < 25; i++) {
            changed.add(new ChangedHead(i + 2, 0, 1, CircuitType.QK, 0, 0, 0, 1, 1, 8, 0, new double[8], new double[8]));
        }
        ReferenceComparison c = new ReferenceComparison("/models/base", base.model(), ReferenceComparison.SCORE,
                ReferenceComparison.SUBSPACES, "identical", "tied", 26, 1, 0.5);
        HeavyTailFits fits = new HeavyTailFits(HeavyTailFits.METHOD, 10,
                List.of(new LayerTailFit(0, CircuitType.QK, 8, 64, 41, 1200, 1.45, 0.07, 0.096)),
                List.of(new LayerTailFit(0, CircuitType.QK, 8, 64, 18, 3e-5, 4.84, 0.9, 0.118)));
        SpectralReport r = new SpectralReport(base.schemaVersion(), base.model(), base.settings(), base.fingerprint(),
                base.trained(), null, null, null, null, List.of(), null, fits, c, changed, null, null);
        String html = render(r);
        assertTrue(html.contains("Change from the reference model"));
        assertTrue(html.contains("/models/base") && html.contains("1 of 26 circuits changed"), html);
        assertTrue(html.contains("L1H0") && html.contains("0.5"));
        assertTrue(html.contains("The 20 largest of 26 circuits are shown"));
        assertTrue(html.contains("Heavy-tailed layers"));
        assertTrue(html.contains("1.45") && html.contains("4.84") && html.contains("control KS D"));
    }

    @Test
    void absentWithoutThem() {
        String html = render(SpectralReportPageTest.report(new double[][] {{0.5, -0.5}, {0.1, 0.2}}, List.of()));
        assertFalse(html.contains("Change from the reference model"));
        assertFalse(html.contains("Heavy-tailed layers"));
    }
}
