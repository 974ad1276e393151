package io.github.spectralcircuits.aggregate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names in the order a person numbers them: runs of digits compare as numbers, a decimal point between
 * digits included, so "step-2000" comes before "step-10000" and "scale-1.5" between "scale-1" and
 * "scale-2". Downloaded reports have no reactor to order them; this is the order their folder names
 * suggest. (No library of ours has it: commons-math and Jackson do not sort strings.)
 */
final class NaturalOrder implements Comparator<String> {
    static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        List<Object> x = tokens(a);
        List<Object> y = tokens(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            Object p = x.get(i);
            Object q = y.get(i);
            int c;
            if (p instanceof BigDecimal && q instanceof BigDecimal) {
                c = ((BigDecimal) p).compareTo((BigDecimal) q);
            } else {
                c = p.toString().compareTo(q.toString());
            }
            if (c != 0) {
                return c;
            }
        }
        return x.size() != y.size() ? Integer.compare(x.size(), y.size()) : a.compareTo(b);
    }

    /** Alternating text and numbers ("scale-1.5x" gives "scale-", 1.5, "x"). */
    static List<Object> tokens(String s) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int j = i;
            if (Character.isDigit(s.charAt(i))) {
                while (j < s.length() && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                if (j + 1 < s.length() && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
                    j++;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                }
                out.add(new BigDecimal(s.substring(i, j)));
            } else {
                while (j < s.length() && !Character.isDigit(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
            }
            i = j;
        }
        return out;
    }
}
