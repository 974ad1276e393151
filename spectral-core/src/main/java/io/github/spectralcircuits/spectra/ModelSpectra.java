package io.github.spectralcircuits.spectra;

import java.util.List;

/** Every analysed head of one model, layer-major. */
public record ModelSpectra(List<HeadSpectra> heads) {
    public ModelSpectra {
        heads = List.copyOf(heads);
    }
}
