package io.github.spectralcircuits.io.torch;

import io.github.spectralcircuits.io.DType;

/** Widens one stored element to double. Java 17 has no half-precision conversion, hence halfToFloat. */
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
                return halfToFloat(region.getShort(byteOffset));
            case BF16:
                return Float.intBitsToFloat((region.getShort(byteOffset) & 0xFFFF) << 16);
            default:
                throw new IllegalStateException("dtype " + dtype);
        }
    }

    /** IEEE 754 binary16 to binary32, exactly (every half value is representable as a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
