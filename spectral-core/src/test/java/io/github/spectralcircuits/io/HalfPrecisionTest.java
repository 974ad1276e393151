package io.github.spectralcircuits.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.testing.SafetensorsWriter;
import org.junit.jupiter.api.Test;

/** Every one of the 65536 patterns of each 16-bit format against the textbook formula. */
class HalfPrecisionTest {
    private static double formula(int bits, int exponentBits, int mantissaBits) {
        int bias = (1 << (exponentBits - 1)) - 1;
        int e = (bits >>> mantissaBits) & ((1 << exponentBits) - 1);
        int m = bits & ((1 << mantissaBits) - 1);
        double scale = Math.pow(2, mantissaBits);
        double v;
        if (e == (1 << exponentBits) - 1) {
            v = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (e == 0) {
            v = m / scale * Math.pow(2, 1 - bias);
        } else {
            v = (1 + m / scale) * Math.pow(2, e - bias);
        }
        return (bits & 0x8000) != 0 ? -v : v;
    }

    @Test
    void everyF16PatternDecodesAsTheFormulaSays() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            double expected = formula(bits, 5, 10);
            double got = HalfPrecision.f16ToFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(got), Integer.toHexString(bits));
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), Integer.toHexString(bits));
                assertEquals((short) bits, SafetensorsWriter.toF16((float) got), "writer round trip " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void everyBF16PatternDecodesAsTheFormulaSays() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            double expected = formula(bits, 8, 7);
            double got = HalfPrecision.bf16ToFloat((short) bits);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(got), Integer.toHexString(bits));
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), Integer.toHexString(bits));
                assertEquals((short) bits, SafetensorsWriter.toBF16((float) got), "writer round trip " + Integer.toHexString(bits));
            }
        }
    }
}
