package io.github.spectralcircuits.model;

import io.github.spectralcircuits.linalg.RowMatrix;

/**
 * The rows of a stored matrix after a LayerNorm, (x - mean(x)) / sqrt(var(x) + eps) * gain + bias with
 * the population variance, computed in double as each panel is read, so that BLOOM's normalised
 * embedding never sits whole in the heap.
 */
final class LayerNormedRows implements RowMatrix {
    private final RowMatrix rows;
    private final double[] gain;
    private final double[] bias;
    private final double epsilon;

    LayerNormedRows(RowMatrix rows, double[] gain, double[] bias, double epsilon) {
        if (gain.length != rows.cols() || bias.length != rows.cols()) {
            throw new IllegalArgumentException("a LayerNorm of width " + rows.cols() + " needs as many gains and biases");
        }
        this.rows = rows;
        this.gain = gain.clone();
        this.bias = bias.clone();
        this.epsilon = epsilon;
    }

    @Override
    public int rows() {
        return rows.rows();
    }

    @Override
    public int cols() {
        return rows.cols();
    }

    @Override
    public void readRows(int firstRow, int rowCount, double[] dst) {
        RowMatrix.checkPanel(this, firstRow, rowCount, dst);
        rows.readRows(firstRow, rowCount, dst);
        int d = cols();
        for (int r = 0; r < rowCount; r++) {
            int o = r * d;
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += dst[o + j];
            }
            mean /= d;
            double variance = 0;
            for (int j = 0; j < d; j++) {
                double c = dst[o + j] - mean;
                variance += c * c;
            }
            double inverse = 1.0 / Math.sqrt(variance / d + epsilon);
            for (int j = 0; j < d; j++) {
                dst[o + j] = (dst[o + j] - mean) * inverse * gain[j] + bias[j];
            }
        }
    }
}
