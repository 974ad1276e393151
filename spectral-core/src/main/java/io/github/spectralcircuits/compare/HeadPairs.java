package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each trained head with the control head at the same (layer, head), in the trained model's order. */
record HeadPairs(List<HeadSpectra> trained, List<HeadSpectra> control) {

    static HeadPairs of(ModelSpectra trained, ModelSpectra control) {
        if (trained.heads().isEmpty()) {
            throw new SpectralException("There are no analysed heads to compare with the control; check the "
                    + "layers/heads filters.");
        }
        Map<Long, HeadSpectra> byKey = new HashMap<>();
        for (HeadSpectra h : control.heads()) {
            byKey.put(key(h.layer(), h.head()), h);
        }
        List<HeadSpectra> t = new ArrayList<>();
        List<HeadSpectra> c = new ArrayList<>();
        for (HeadSpectra h : trained.heads()) {
            HeadSpectra partner = byKey.get(key(h.layer(), h.head()));
            if (partner == null) {
                throw new SpectralException("The control has no head " + h.layer() + "." + h.head()
                        + " to compare with the trained one: the control must be analysed with the same "
                        + "layers/heads filters as the trained model.");
            }
            t.add(h);
            c.add(partner);
        }
        return new HeadPairs(List.copyOf(t), List.copyOf(c));
    }

    static long key(int layer, int head) {
        return ((long) layer << 32) | (head & 0xFFFFFFFFL);
    }

    int size() {
        return trained.size();
    }
}
