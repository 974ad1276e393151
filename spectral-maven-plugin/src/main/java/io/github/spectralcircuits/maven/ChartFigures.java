package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.report.charts.RenderedChart;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.doxia.sink.SinkEventAttributes;
import org.apache.maven.doxia.sink.impl.SinkEventAttributeSet;

/** A chart as a figure of a Doxia page, the same on the report page and the aggregate's. */
final class ChartFigures {
    private ChartFigures() {
    }

    /** The chart's image (scaled down to the page's width, never up) with its caption under it. */
    static void write(Sink sink, String imagePrefix, RenderedChart chart) {
        SinkEventAttributeSet img = new SinkEventAttributeSet();
        img.addAttribute(SinkEventAttributes.ALT, chart.title());
        img.addAttribute(SinkEventAttributes.STYLE, "max-width: 100%; height: auto;");
        sink.figure();
        sink.figureGraphics(imagePrefix + chart.fileName(), img);
        sink.figureCaption();
        sink.text(chart.caption() == null || chart.caption().isEmpty() ? "-" : chart.caption());
        sink.figureCaption_();
        sink.figure_();
    }
}
