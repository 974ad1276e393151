package io.github.spectralcircuits.check;

import io.github.spectralcircuits.SpectralException;
import java.util.Collections;
import java.util.Iterator;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Layer and head selections written as a user writes page ranges: "0-3,5", "7", "" (all).
 * Used by the rules and by the analysis filters, so both read the same syntax.
 */
public final class IndexRanges {
    private IndexRanges() {
    }

    /**
     * Parses a selection; blank or null means "all" and gives an empty set.
     *
     * @param what names the selection in the error, e.g. "layers" or "rule 2 heads"
     * @throws SpectralException on anything that is not a list of non-negative numbers and ascending ranges
     */
    public static SortedSet<Integer> parse(String spec, String what) {
        SortedSet<Integer> out = new TreeSet<>();
        if (spec == null || spec.isBlank()) {
            return Collections.unmodifiableSortedSet(out);
        }
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw bad(spec, what, "it has an empty item between commas");
            }
            int dash = p.indexOf('-', 1);
            if (dash < 0) {
                out.add(number(p, spec, what));
            } else {
                int from = number(p.substring(0, dash).strip(), spec, what);
                int to = number(p.substring(dash + 1).strip(), spec, what);
                if (to < from) {
                    throw bad(spec, what, "the range " + p + " runs backwards (write " + to + "-" + from + ")");
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            }
        }
        return Collections.unmodifiableSortedSet(out);
    }

    /** The inverse of parse: the shortest "a-b,c" form of a set; "all" for the empty set. */
    public static String format(SortedSet<Integer> set) {
        if (set.isEmpty()) {
            return "all";
        }
        StringBuilder sb = new StringBuilder();
        Iterator<Integer> it = set.iterator();
        int start = it.next();
        int prev = start;
        while (true) {
            Integer next = it.hasNext() ? it.next() : null;
            if (next != null && next == prev + 1) {
                prev = next;
                continue;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (prev != start) {
                sb.append('-').append(prev);
            }
            if (next == null) {
                return sb.toString();
            }
            start = next;
            prev = next;
        }
    }

    private static int number(String s, String spec, String what) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            throw bad(spec, what, "'" + s + "' is not a non-negative whole number");
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(spec, what, "'" + s + "' is too large");
        }
    }

    private static SpectralException bad(String spec, String what, String why) {
        return new SpectralException("The " + what + " selection \"" + spec + "\" cannot be read: " + why
                + ". Write 0-based indices and inclusive ranges separated by commas, for example \"0-3,5\", "
                + "or leave it empty for all.");
    }
}
