package io.github.spectralcircuits.linalg;

/** A RowMatrix over a row-major double array already in memory (tests, small models). */
public final class ArrayRowMatrix implements RowMatrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    public ArrayRowMatrix(int rows, int cols, double[] data) {
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException("data holds " + data.length + " values, not " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void readRows(int firstRow, int rowCount, double[] dst) {
        RowMatrix.checkPanel(this, firstRow, rowCount, dst);
        System.arraycopy(data, firstRow * cols, dst, 0, rowCount * cols);
    }

    public double get(int r, int c) {
        return data[r * cols + c];
    }
}
