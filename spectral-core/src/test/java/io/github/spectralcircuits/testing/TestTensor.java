package io.github.spectralcircuits.testing;

import java.util.Arrays;

/** A tensor held in memory for tests: its shape and its values, row-major. */
public record TestTensor(long[] shape, double[] values) {
    public TestTensor {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
        shape = shape.clone();
    }

    public static TestTensor of(double[] values, long... shape) {
        return new TestTensor(shape, values);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
