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
     * @param weights  the layer's raw weights
     * @param attnGain the pre-attention norm gain when norms are folded (rows of W_Q, W_K, W_V), else null
     * @param cores    the analysed heads' cores, in head order
     */
    void layer(LayerWeights weights, double[] attnGain, List<HeadCores> cores);
}
