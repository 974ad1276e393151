package io.github.spectralcircuits.spectra;

import io.github.spectralcircuits.circuits.HeadCores;
import io.github.spectralcircuits.model.LayerWeights;
import java.util.List;

/**
 * Work that rides on the spectra's pass over the layers (token readouts, composition scores), so that each
 * layer's weights are read and its head cores computed once. Called on the analysing thread, layer by
 * layer in order, after the layer's spectra.
 */
public interface LayerObserver {
    /**
     * @param weights the layer's weights as the spectra multiplied them: with every gain folded in (the norms,
     *                the embedding's scale; {@link io.github.spectralcircuits.circuits.LayerProducts#foldedWeights})
     *                when settings fold norms, else raw
     * @param cores   the analysed heads' cores, in head order
     */
    void layer(LayerWeights weights, List<HeadCores> cores);

    /** Whether {@link #layer} has anything to do with this layer: when no observer has, the folded copy is not made. */
    default boolean wants(int layer) {
        return true;
    }
}
