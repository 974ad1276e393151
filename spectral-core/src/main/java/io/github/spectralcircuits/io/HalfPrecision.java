package io.github.spectralcircuits.io;

/**
 * Widening of the two 16-bit float formats. Written by hand because the JDK's
 * {@code Float.float16ToFloat} only exists from Java 20 on and the core targets Java 17; both
 * conversions are exact (every F16 and BF16 value is a float).
 */
public final class HalfPrecision {
    private HalfPrecision() {
    }

    /** IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits. */
    public static float f16ToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            // Infinity keeps a zero mantissa; any NaN payload stays a NaN.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a binary32. */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }
}
