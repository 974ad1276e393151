package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.DType;

/**
 * The typed storage classes a state dict names in its persistent ids ({@code torch.FloatStorage}, ...).
 * The floating-point ones are read; the integer and boolean ones are accepted so that real
 * checkpoints with such buffers (GPT-2's and GPT-Neo's causal masks, position ids) still open,
 * but their tensors are not offered for reading.
 */
enum StorageType {
    DOUBLE("DoubleStorage", 8, DType.F64),
    FLOAT("FloatStorage", 4, DType.F32),
    HALF("HalfStorage", 2, DType.F16),
    BFLOAT16("BFloat16Storage", 2, DType.BF16),
    LONG("LongStorage", 8, null),
    INT("IntStorage", 4, null),
    SHORT("ShortStorage", 2, null),
    CHAR("CharStorage", 1, null),
    BYTE("ByteStorage", 1, null),
    BOOL("BoolStorage", 1, null);

    private final String className;
    private final int elementSize;
    private final DType dtype;

    StorageType(String className, int elementSize, DType dtype) {
        this.className = className;
        this.elementSize = elementSize;
        this.dtype = dtype;
    }

    /** The name after {@code torch.}, as written by GLOBAL. */
    String className() {
        return className;
    }

    String qualifiedName() {
        return "torch." + className;
    }

    int elementSize() {
        return elementSize;
    }

    /** The dtype it is read as, or null when the analysis does not read this kind of storage. */
    DType dtype() {
        return dtype;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }

    static StorageType forClassName(String name) {
        for (StorageType t : values()) {
            if (t.className.equals(name)) {
                return t;
            }
        }
        return null;
    }

    static String supportedList() {
        StringBuilder b = new StringBuilder();
        for (StorageType t : values()) {
            if (t.dtype != null) {
                b.append(b.length() == 0 ? "" : ", ").append(t.qualifiedName());
            }
        }
        return b.toString();
    }
}
