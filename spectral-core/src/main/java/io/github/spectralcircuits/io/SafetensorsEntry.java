package io.github.spectralcircuits.io;

import java.util.Arrays;

/**
 * One tensor as a validated safetensors header describes it; begin and end are byte offsets into
 * the data area (which starts right after the header).
 */
record SafetensorsEntry(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
    SafetensorsEntry {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Never overflows: the header check proved the product fits. */
    long elementCount() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    long byteLength() {
        return end - begin;
    }

    String shapeString() {
        return Arrays.toString(shape);
    }
}
