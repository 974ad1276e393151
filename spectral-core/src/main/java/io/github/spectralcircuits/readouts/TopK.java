package io.github.spectralcircuits.readouts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The k entries with the largest keys among those offered, in one pass and O(k) memory (the vocabulary is
 * never held): offers come in token order, so of equal keys the smaller token id is kept.
 */
final class TopK {
    private final int k;
    private final int[] ids;
    private final double[] keys;
    private final double[] values;
    private int size;
    private int minAt = -1;

    TopK(int k) {
        this.k = k;
        this.ids = new int[k];
        this.keys = new double[k];
        this.values = new double[k];
    }

    /** Offers token id with its ranking key and the value to report (the key itself, or a signed weight). */
    void offer(int id, double key, double value) {
        if (k == 0 || Double.isNaN(key)) {
            return;
        }
        if (size < k) {
            ids[size] = id;
            keys[size] = key;
            values[size] = value;
            size++;
            if (size == k) {
                findMin();
            }
            return;
        }
        if (key > keys[minAt]) {
            ids[minAt] = id;
            keys[minAt] = key;
            values[minAt] = value;
            findMin();
        }
    }

    /** Smallest key, the last (largest id) among equal ones, so that a tie never displaces a smaller id. */
    private void findMin() {
        int m = 0;
        for (int i = 1; i < size; i++) {
            if (keys[i] < keys[m] || (keys[i] == keys[m] && ids[i] > ids[m])) {
                m = i;
            }
        }
        minAt = m;
    }

    record Entry(int id, double key, double value) {
    }

    /** Largest key first, smaller id first among equal keys. */
    List<Entry> sorted() {
        List<Entry> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new Entry(ids[i], keys[i], values[i]));
        }
        out.sort(Comparator.comparingDouble(Entry::key).reversed().thenComparingInt(Entry::id));
        return out;
    }
}
