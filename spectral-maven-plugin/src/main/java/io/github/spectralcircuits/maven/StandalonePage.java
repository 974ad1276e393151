package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.report.AtomicFiles;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.RenderedChart;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.doxia.sink.impl.Xhtml5BaseSink;

/**
 * spectral-report.html outside a site: the page's body (the same sink events as in the site) in a small
 * HTML document of its own, with a stylesheet that makes the tables readable. Nothing to resolve at run
 * time, unlike a site skin, and the file opens from disk in any browser, charts included.
 */
final class StandalonePage {
    static final String FILE_NAME = ReportMojo.OUTPUT_NAME + ".html";

    /** Enough style for long numeric tables; the colours of tinted cells are set inline by the page. */
    static final String STYLE = """
            body { margin: 0; color: #222; background: #fff; line-height: 1.45;
                   font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1280px; margin: 0 auto; padding: 1em 2em 3em; }
            h1 { font-size: 1.8em; border-bottom: 2px solid #c8ccd2; padding-bottom: 0.2em; }
            h2 { font-size: 1.35em; margin-top: 1.8em; border-bottom: 1px solid #dde0e4; padding-bottom: 0.15em; }
            table { border-collapse: collapse; margin: 0.5em 0 1.4em; font-size: 0.9em;
                    font-variant-numeric: tabular-nums; display: block; max-width: 100%; overflow-x: auto; }
            th, td { border: 1px solid #d3d7dc; padding: 0.25em 0.6em; vertical-align: top; }
            th { background: #eef1f5; text-align: left; white-space: nowrap; }
            tr.b td { background: #f8f9fa; }
            figure { margin: 1em 0 2em; }
            figure img { max-width: 100%; height: auto; border: 1px solid #e4e6e9; }
            figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
            """;

    private StandalonePage() {
    }

    /**
     * The whole document.
     *
     * @param imagePrefix path of the chart directory relative to the page, ending in '/'
     * @param source      where the numbers came from, in words
     */
    static String html(SpectralReport report, List<RenderedChart> charts, String imagePrefix, String source) {
        return document(SpectralReportPage.TITLE,
                sink -> new SpectralReportPage(sink, report, charts, imagePrefix, source).renderBody());
    }

    /** A page's body events (as a site report renders them) in this document's shell and style. */
    static String document(String title, Consumer<Sink> renderBody) {
        StringWriter body = new StringWriter();
        Xhtml5BaseSink sink = new Xhtml5BaseSink(body);
        renderBody.accept(sink);
        sink.flush();
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n"
                + "<head>\n"
                + "<meta charset=\"UTF-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"generator\" content=\"spectral-maven-plugin\">\n"
                + "<title>" + title + "</title>\n"
                + "<style>\n" + STYLE + "</style>\n"
                + "</head>\n"
                + "<body>\n<main>\n"
                + body
                + "\n</main>\n</body>\n</html>\n";
    }

    /** Writes directory/spectral-report.html atomically and returns its path. */
    static Path write(Path directory, SpectralReport report, List<RenderedChart> charts, String imagePrefix,
                      String source) {
        Path file = directory.resolve(FILE_NAME);
        byte[] bytes = html(report, charts, imagePrefix, source).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeBytes(file, bytes);
        return file;
    }
}
