package io.github.spectralcircuits.report.charts;

/**
 * One statistic per (layer, head): values[layer][head], NaN where the head was not analysed
 * (layer/head filters).
 */
public record HeatGrid(String metric, double[][] values) {

    public int layers() {
        return values.length;
    }

    public int heads() {
        return values.length == 0 ? 0 : values[0].length;
    }

    public double value(int layer, int head) {
        return values[layer][head];
    }

    /** Smallest and largest present value; {NaN, NaN} when the grid is empty. */
    public double[] range() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? new double[] {Double.NaN, Double.NaN} : new double[] {lo, hi};
    }
}
