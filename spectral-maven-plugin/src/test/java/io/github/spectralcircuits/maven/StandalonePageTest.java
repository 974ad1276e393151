package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.ChartRenderer;
import io.github.spectralcircuits.report.charts.RenderedChart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandalonePageTest {
    @TempDir
    Path dir;

    /** The rows of the table that follows the heading, up to the end of that table. */
    static List<String> rowsAfter(String html, String heading) {
        int start = html.indexOf(heading);
        assertTrue(start >= 0, "no section " + heading);
        String table = html.substring(html.indexOf("<table", start), html.indexOf("</table>", start));
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(table);
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    static List<String> imageSources(String html) {
        List<String> images = new ArrayList<>();
        Matcher m = Pattern.compile("<img[^>]*src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            images.add(m.group(1));
        }
        return images;
    }

    @Test
    void writesAWholeDocumentWithItsOwnStyleAndEverySectionOfThePage() throws Exception {
        SpectralReport r = SpectralReportPageTest.report(new double[][] {{0.9, -0.2, 0.3}, {0.1, -0.7, 0.0}},
                List.of(new CheckResult("OV effectiveRank >= 2", true, "passed on all 6 circuits")));
        List<RenderedChart> charts = ChartRenderer.render(r, dir.resolve("spectral"));
        Path file = StandalonePage.write(dir, r, charts, "spectral/", "a test report");

        assertEquals(dir.resolve("spectral-report.html"), file);
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">"), html);
        assertTrue(html.contains("<title>Spectral circuits</title>"));
        assertTrue(html.contains("<style>") && html.contains("border-collapse: collapse"), "its own stylesheet");
        assertFalse(html.contains("<link"), "no stylesheet or skin to fetch");
        assertTrue(html.trim().endsWith("</body>\n</html>"));
        assertEquals(1, count(html, "<body>"));
        // the title goes into the head only: the body starts with the page's first section
        assertTrue(html.contains("<body>\n<main>\n<section><a id=\"spectral-circuits\"></a>"), html);

        for (String section : List.of("<h2>Summary</h2>", "<h2>Checks</h2>", "<h2>Charts</h2>",
                "<h2>QK circuit per head</h2>", "<h2>OV circuit per head</h2>")) {
            assertTrue(html.contains(section), section);
        }
        assertTrue(html.contains("Numbers from a test report."));
        // per-head tables: a header row and one row per head (2 layers x 3 heads), layer-major
        List<String> qk = rowsAfter(html, "<h2>QK circuit per head</h2>");
        assertEquals(1 + 6, qk.size());
        assertTrue(qk.get(0).contains("<th>effective rank</th>"));
        assertTrue(qk.get(6).startsWith("\n<td style=\"text-align: right;\">1</td>\n<td style=\"text-align: right;\">2</td>"),
                qk.get(6));
        List<String> ov = rowsAfter(html, "<h2>OV circuit per head</h2>");
        assertEquals(1 + 6, ov.size());
        assertTrue(ov.get(5).contains("-0.700"), "OV positivity of layer 1 head 1: " + ov.get(5));
        assertTrue(html.contains("passed on all 6 circuits"));
        assertTrue(html.contains("LlamaForCausalLM") || html.contains("GPT2LMHeadModel"));

        List<String> images = imageSources(html);
        assertEquals(charts.size(), images.size());
        assertEquals(5, images.size(), "five charts without a control");
        for (String src : images) {
            Path png = dir.resolve(src);
            assertTrue(src.startsWith("spectral/") && Files.isRegularFile(png), src);
            assertTrue(ImageIO.read(png.toFile()).getWidth() > 0, src);
        }
    }

    @Test
    void rewritingReplacesThePageWholeAndLeavesNoTemporaryFile() throws Exception {
        SpectralReport small = SpectralReportPageTest.report(new double[][] {{0.5}}, List.of());
        SpectralReport large = SpectralReportPageTest.report(new double[][] {{0.5, 0.1}, {0.2, 0.3}}, List.of());
        StandalonePage.write(dir, large, List.of(), "spectral/", "first");
        Path file = StandalonePage.write(dir, small, List.of(), "spectral/", "second");
        String html = Files.readString(file);
        assertTrue(html.contains("Numbers from second.") && !html.contains("Numbers from first."));
        assertEquals(1 + 1, rowsAfter(html, "<h2>QK circuit per head</h2>").size());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
