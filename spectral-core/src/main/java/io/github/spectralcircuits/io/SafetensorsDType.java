package io.github.spectralcircuits.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Every element type the safetensors format defines, with its width in bytes. The layout of a file
 * is checked for all of them (a checkpoint may legitimately hold integer buffers next to its
 * weights); only the floating-point ones of {@link DType} can be read as weights.
 */
enum SafetensorsDType {
    BOOL(1, null), U8(1, null), I8(1, null), F8_E5M2(1, null), F8_E4M3(1, null), F8_E8M0(1, null),
    I16(2, null), U16(2, null), F16(2, DType.F16), BF16(2, DType.BF16),
    I32(4, null), U32(4, null), F32(4, DType.F32),
    I64(8, null), U64(8, null), F64(8, DType.F64), C64(8, null);

    private final int bytes;
    private final DType readable;

    SafetensorsDType(int bytes, DType readable) {
        this.bytes = bytes;
        this.readable = readable;
    }

    int bytes() {
        return bytes;
    }

    /** The dtype weights can be read as, or null for a type the math does not take. */
    DType readable() {
        return readable;
    }

    /** The constant of this name, or null when the format has no such dtype. */
    static SafetensorsDType byName(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static String allNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
