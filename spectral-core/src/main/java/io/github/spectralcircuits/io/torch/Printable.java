package io.github.spectralcircuits.io.torch;

/**
 * Strings taken from a file (tensor names, entry names, keys) as they may appear in a message:
 * control characters escaped and length capped, so a hostile name cannot forge or flood output.
 */
final class Printable {
    private static final int MAX = 200;

    private Printable() {
    }

    /** Whether the string has no control characters (what every name torch writes satisfies). */
    static boolean isClean(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == '\u2028' || c == '\u2029';
    }

    static String of(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            if (isControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() < MAX || s.length() <= MAX ? b.toString() : b + "...";
    }
}
