package io.github.spectralcircuits.maven;

import java.util.Locale;

/** Numbers as a person reads them in a table: four significant digits, scientific only when needed. */
final class Numbers {
    private Numbers() {
    }

    static String format(double x) {
        if (Double.isNaN(x)) {
            return "n/a";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "∞" : "-∞";
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        String s = String.format(Locale.ROOT, "%.4g", x);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    static String signed(double x) {
        String s = format(x);
        return x > 0 ? "+" + s : s;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    static String complex(double re, double im) {
        if (im == 0) {
            return format(re);
        }
        return format(re) + (im > 0 ? " + " : " − ") + format(Math.abs(im)) + "i";
    }

    static String pValue(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}
