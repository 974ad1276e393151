package io.github.spectralcircuits.model.control;

import io.github.spectralcircuits.linalg.RowMatrix;

/**
 * A rows x cols matrix of N(0, std^2) entries that is never stored: any panel of rows is generated
 * when asked for. Row r is the first cols draws of its own {@link GaussianStream}, seeded by mixing
 * (seed, matrixId, r), so entry (r, c) depends only on (seed, matrixId, r, c) and never on panel
 * boundaries, the order of reads or the thread that reads. Safe for concurrent readers (no shared
 * mutable state).
 */
public final class GaussianRowMatrix implements RowMatrix {
    private final int rows;
    private final int cols;
    private final long seed;
    private final long matrixId;
    private final double std;

    public GaussianRowMatrix(int rows, int cols, long seed, long matrixId, double std) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("a control matrix needs positive shape, not " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.seed = seed;
        this.matrixId = matrixId;
        this.std = std;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    public double std() {
        return std;
    }

    @Override
    public void readRows(int firstRow, int rowCount, double[] dst) {
        RowMatrix.checkPanel(this, firstRow, rowCount, dst);
        int at = 0;
        for (int r = firstRow; r < firstRow + rowCount; r++) {
            GaussianStream stream = new GaussianStream(SeedMixer.combine(seed, matrixId, r));
            for (int c = 0; c < cols; c++) {
                dst[at++] = std * stream.nextGaussian();
            }
        }
    }

    /**
     * Fills a whole row-major array (the per-layer matrices: 4 x 16.7 M draws a layer at 7B shapes), blocks of
     * rows in parallel: each row is its own stream, so the values do not depend on the split or the threads.
     */
    double[] toArray() {
        double[] all = new double[rows * cols];
        int block = 64;
        java.util.stream.IntStream.range(0, (rows + block - 1) / block).parallel().forEach(b -> {
            int first = b * block;
            int count = Math.min(block, rows - first);
            int at = first * cols;
            for (int r = first; r < first + count; r++) {
                GaussianStream stream = new GaussianStream(SeedMixer.combine(seed, matrixId, r));
                for (int c = 0; c < cols; c++) {
                    all[at++] = std * stream.nextGaussian();
                }
            }
        });
        return all;
    }
}
