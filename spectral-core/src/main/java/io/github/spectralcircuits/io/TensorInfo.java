package io.github.spectralcircuits.io;

import java.nio.file.Path;
import java.util.Arrays;

/** What a checkpoint says about one tensor, after it has been checked against the file. */
public record TensorInfo(String name, DType dtype, long[] shape, Path file) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long elementCount() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
