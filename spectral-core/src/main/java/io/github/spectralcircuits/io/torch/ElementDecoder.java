package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.io.HalfPrecision;

/** Widens one stored element to double. Half precision goes through io.HalfPrecision (Java 17 has no conversion of its own). */
final class ElementDecoder {
    private ElementDecoder() {
    }

    static double read(MappedRegion region, long byteOffset, DType dtype) {
        switch (dtype) {
            case F64:
                return region.getDouble(byteOffset);
            case F32:
                return region.getFloat(byteOffset);
            case F16:
                return HalfPrecision.f16ToFloat(region.getShort(byteOffset));
            case BF16:
                return HalfPrecision.bf16ToFloat(region.getShort(byteOffset));
            default:
                throw new IllegalStateException("dtype " + dtype);
        }
    }

}
