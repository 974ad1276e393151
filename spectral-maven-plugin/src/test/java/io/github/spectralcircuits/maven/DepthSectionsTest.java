package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.composition.CompositionMode;
import io.github.spectralcircuits.composition.CompositionScore;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SingularDirection;
import io.github.spectralcircuits.spectra.TokenScore;
import io.github.spectralcircuits.spectra.TokenWeight;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.doxia.sink.impl.Xhtml5BaseSink;
import org.junit.jupiter.api.Test;

class DepthSectionsTest {

    private static String render(SpectralReport r) {
        StringWriter out = new StringWriter();
        new SpectralReportPage(new Xhtml5BaseSink(out), r, List.of(), "spectral/", "a test").render();
        return out.toString();
    }

    @Test
    void readoutsAndCompositionTablesAppearOnlyWithTheirParts() {
        SpectralReport bare = SpectralReportPageTest.report(new double[][] {{0.5, -0.5}, {0.1, 0.2}}, List.of());
        String plain = render(bare);
        assertFalse(plain.contains("Token readouts"));
        assertFalse(plain.contains("Composition between heads"));

        List<HeadSpectra> heads = new ArrayList<>();
        for (HeadSpectra h : bare.trained().heads()) {
            SingularDirection d = new SingularDirection(2.5, List.of(new TokenWeight(7, "\u2423the", 0.61)),
                    List.of(new TokenWeight(9, null, -0.42)));
            heads.add(new HeadSpectra(h.layer(), h.head(), h.kvHead(), h.qk().withReadouts(null, List.of(d)),
                    h.ov().withReadouts(List.of(new TokenScore(3, "Lily", 1.25), new TokenScore(4, null, 0.5)),
                            List.of(d))));
        }
        SpectralReport r = new SpectralReport(1, bare.model(), bare.settings(), null, new ModelSpectra(heads), null, null,
                null, null, null, null, null, null, null, List.of(new CompositionScore(CompositionMode.K, 0, 1, 1, 0, 0.4321, 5.5, 0.99),
                        new CompositionScore(CompositionMode.V, 0, 0, 1, 1, 0.2, 0.1, 0.5)), null);
        String html = render(r);
        assertTrue(html.contains("Token readouts"), html);
        assertTrue(html.contains("Lily 1.25, #4 0.5"), "tokens with scores, ids where the tokenizer has no string");
        assertTrue(html.contains("the +0.61") && html.contains("#9 -0.42"), "signed weights of a direction: " + html);
        assertTrue(html.contains("Composition between heads"));
        assertTrue(html.contains("L0H1") && html.contains("0.4321") && html.contains("+5.50") && html.contains("99.00 %"),
                "a composition row with its z and control quantile");
    }
}
