package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.testing.SyntheticReports;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceChangeChartTest {
    static List<ChangedHead> changes() {
        List<ChangedHead> out = new ArrayList<>();
        for (int l = 0; l < 5; l++) {
            for (int h = 0; h < 8; h++) {
                for (CircuitType t : CircuitType.values()) {
                    double score = l == 3 && h == 5 && t == CircuitType.OV ? 0.5 : 0.01 * l;
                    out.add(new ChangedHead(0, l, h, t, score, score, score, 1, 1, 8, 0, new double[8], new double[8]));
                }
            }
        }
        return out;
    }

    @Test
    void theGridHoldsEachCircuitsScore() {
        HeatGrid ov = ReferenceChangeChart.grid(changes(), CircuitType.OV, 5, 8);
        assertEquals(0.5, ov.value(3, 5), 0);
        assertEquals(0.02, ov.value(2, 7), 0);
        HeatGrid qk = ReferenceChangeChart.grid(changes(), CircuitType.QK, 5, 8);
        assertEquals(0.03, qk.value(3, 5), 0);
    }

    @Test
    void aReportWithChangedHeadsGetsTheChart(@TempDir Path dir) throws IOException {
        SpectralReport base = SyntheticReports.stories260kLike(3, false);
        SpectralReport r = base.withReference(null, changes());
        List<Path> files = ChartRenderer.renderAll(r, dir);
        Path chart = dir.resolve(ChartRenderer.REFERENCE_CHANGE);
        assertTrue(files.contains(chart), files.toString());
        BufferedImage img = ImageIO.read(chart.toFile());
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 360, img.getWidth() + "x" + img.getHeight());
        assertTrue(!ChartRenderer.renderAll(base, dir.resolve("none")).contains(dir.resolve("none")
                .resolve(ChartRenderer.REFERENCE_CHANGE)));
    }
}
