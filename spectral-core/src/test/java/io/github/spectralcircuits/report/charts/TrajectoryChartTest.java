package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

class TrajectoryChartTest {
    @Test
    void aMissingValueIsAGapNotAZero() {
        var panel = new TrajectoryChart.Panel("OV spectral norm", "σ₁", List.of(
                new TrajectoryChart.Line("L1H3", new double[] {2, Double.NaN, 6}),
                new TrajectoryChart.Line("L0H0", new double[] {1, 1, 1})));
        XYSeriesCollection data = TrajectoryChart.dataset(panel);
        assertEquals(2, data.getSeriesCount());
        assertEquals("L1H3", data.getSeriesKey(0));
        assertEquals(6.0, data.getY(0, 2).doubleValue());
        assertNull(data.getY(0, 1));
        assertEquals(2.0, data.getX(0, 2).doubleValue());
    }

    @Test
    void aConstantIsDrawnFlatNotAsItsRoundingMagnified() {
        var flat = new TrajectoryChart.Panel("OV positivity", "positivity", List.of(
                new TrajectoryChart.Line("L2H5", new double[] {-0.7737589, -0.7737589000000062, -0.7737589})));
        assertEquals(0.05 * 0.7737589000000062, TrajectoryChart.minimumRange(flat), 1e-15);
        var range = TrajectoryChart.panel(flat, List.of("a", "b", "c")).getXYPlot().getRangeAxis().getRange();
        assertTrue(range.getLength() >= 0.05 * 0.7737589, "the axis spans " + range);
    }

    @Test
    void fewShortNamesLieAcrossTheAxisManyOrLongOnesUpright() {
        assertFalse(TrajectoryChart.verticalNames(List.of("scale-1.0", "scale-1.5", "scale-2.0", "scale-3.0")));
        assertTrue(TrajectoryChart.verticalNames(List.of("step-1000", "step-2000", "step-3000", "step-4000", "step-5000",
                "step-6000", "step-7000", "step-8000")));
        var grid = new LabelledHeatMapChart.Grid(null, List.of("L0H0"), List.of("scale-1.0", "scale-3.0"),
                new double[][] {{0, 1}}, null);
        assertFalse(LabelledHeatMapChart.verticalColumnNames(grid, 72));
        assertTrue(LabelledHeatMapChart.verticalColumnNames(grid, 40));
    }

    @Test
    void fewCheckpointsAreAllNamedManyEveryNth() {
        assertEquals(List.of("a", "b", "c"), Arrays.asList(TrajectoryChart.axisLabels(List.of("a", "b", "c"))));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("s" + i);
        }
        String[] labels = TrajectoryChart.axisLabels(names);
        // 40 names, at most 16 on the axis: every third (0, 3, ..., 39)
        assertEquals(List.of("s0", "", "", "s3"), Arrays.asList(labels).subList(0, 4));
        assertEquals("s39", labels[39]);
        assertEquals(14, Arrays.stream(labels).filter(s -> !s.isEmpty()).count());
    }

    @Test
    void aHeatMapGridMustMatchItsNames() {
        assertThrows(IllegalArgumentException.class, () -> new LabelledHeatMapChart.Grid("x", List.of("L0H0"),
                List.of("a", "b"), new double[][] {{1}}, null));
        assertEquals(List.of("r0", "", "r2"), Arrays.asList(LabelledHeatMapChart.rowNames(rows(96))).subList(0, 3));
        assertEquals("r1", LabelledHeatMapChart.rowNames(rows(48))[1]);
    }

    private static List<String> rows(int n) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add("r" + i);
        }
        return r;
    }
}
