package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.compare.CircuitComparison;
import io.github.spectralcircuits.compare.Comparison;
import io.github.spectralcircuits.compare.DensityComparison;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.testing.SyntheticReports;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartRendererTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    @Test
    void writesEveryChartAsAReadablePngOfTheExpectedSize() throws IOException {
        // kept under target/ as well so a person can look at the charts of the synthetic report
        Path keep = Path.of("target", "chart-samples");
        SpectralReport report = SyntheticReports.stories260kLike(7, true);
        List<Path> files = ChartRenderer.renderAll(report, keep);
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of(ChartRenderer.QK_DISTRIBUTION, ChartRenderer.OV_DISTRIBUTION,
                ChartRenderer.QK_COMPARISON, ChartRenderer.OV_COMPARISON, ChartRenderer.COMPLEX_PLANE,
                ChartRenderer.OV_POSITIVITY, ChartRenderer.EFFECTIVE_RANK), names);
        for (Path f : files) {
            byte[] head = new byte[8];
            try (InputStream in = Files.newInputStream(f)) {
                assertEquals(8, in.read(head));
            }
            assertTrue(java.util.Arrays.equals(PNG_SIGNATURE, head), f + " is not a PNG");
            BufferedImage img = ImageIO.read(f.toFile());
            assertTrue(img.getWidth() >= 600 && img.getWidth() <= 1600, f + " width " + img.getWidth());
            assertTrue(img.getHeight() >= 400 && img.getHeight() <= 900, f + " height " + img.getHeight());
            assertTrue(distinctColours(img) > 20, f + " looks blank");
        }
        BufferedImage hist = ImageIO.read(keep.resolve(ChartRenderer.QK_DISTRIBUTION).toFile());
        assertEquals(1280, hist.getWidth());
    }

    @Test
    void leavesNoTemporaryFilesAndOmitsComparisonWithoutControl() throws IOException {
        List<Path> files = ChartRenderer.renderAll(SyntheticReports.stories260kLike(3, false), dir);
        try (Stream<Path> all = Files.list(dir)) {
            Set<Path> present = new HashSet<>(all.toList());
            assertEquals(new HashSet<>(files), present, "only the charts, no temporary files");
        }
        assertFalse(Files.exists(dir.resolve(ChartRenderer.QK_COMPARISON)));
        assertEquals(5, files.size());
    }

    @Test
    void replacesAnOlderChartInPlace() throws IOException {
        Path target = dir.resolve(ChartRenderer.OV_POSITIVITY);
        Files.writeString(target, "stale");
        ChartRenderer.renderAll(SyntheticReports.stories260kLike(3, false), dir);
        assertTrue(ImageIO.read(target.toFile()).getWidth() > 0);
    }

    @Test
    void gpt2SizedGridsKeepReadableCellsAndBoundedImages() throws IOException {
        ModelInfo gpt2 = new ModelInfo("gpt2", "GPT2LMHeadModel", 50257, 768, 12, 12, 12, 64, true, "F32", 0.02);
        Path keep = Path.of("target", "chart-samples-gpt2");
        ChartRenderer.renderAll(SyntheticReports.like(gpt2, 1, true), keep);
        BufferedImage rank = ImageIO.read(keep.resolve(ChartRenderer.EFFECTIVE_RANK).toFile());
        assertTrue(rank.getWidth() <= 2400 && rank.getHeight() <= 1000, rank.getWidth() + " x " + rank.getHeight());
        BufferedImage pos = ImageIO.read(keep.resolve(ChartRenderer.OV_POSITIVITY).toFile());
        // 12 head columns of at least 28 px each
        assertTrue(pos.getWidth() >= 12 * 28, "width " + pos.getWidth());
    }

    @Test
    void comparisonChartStatesThePooledTestsOfTheReport() {
        SpectralReport plain = SyntheticReports.stories260kLike(2, true);
        assertEquals(List.of(), ChartRenderer.comparisonLines(plain, CircuitType.OV));
        DensityComparison moduli = new DensityComparison(DensityComparison.EIGENVALUE_MODULI, 320, 320, 0.3, 0.2, 0.1,
                0.6188, 1.2e-53, "asymptotic", 0.1285);
        CircuitComparison ov = new CircuitComparison(CircuitType.OV, 0.01, 0.0, moduli, moduli, null, List.of());
        SpectralReport withComparison = new SpectralReport(1, plain.model(), plain.settings(), plain.trained(),
                plain.control(), new Comparison(Comparison.SAMPLES, null, ov), null, null, List.of());
        assertEquals(List.of("|λ|/σ₁ pooled over heads: Kolmogorov-Smirnov D = 0.619 (p = 1.2e-53), Wasserstein-1 = 0.129"),
                ChartRenderer.comparisonLines(withComparison, CircuitType.OV));
        assertEquals(List.of(), ChartRenderer.comparisonLines(withComparison, CircuitType.QK));
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
