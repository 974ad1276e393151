package io.github.spectralcircuits.check;

import java.util.Locale;

/** Numbers in messages: whole numbers as such, others with four significant digits. */
final class Format {
    private Format() {
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        // %.4g keeps trailing zeros ("0.5000"); drop them unless in an exponent form.
        if (!s.contains("e") && s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
