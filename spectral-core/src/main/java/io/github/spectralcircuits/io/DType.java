package io.github.spectralcircuits.io;

/** Element types of stored tensors that the math accepts; each is widened to double when read. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
