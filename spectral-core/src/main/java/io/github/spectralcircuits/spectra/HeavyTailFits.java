package io.github.spectralcircuits.spectra;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The report's "heavyTailFits": per layer and circuit type, a power law fitted to the layer's pooled squared
 * singular values ({@link PowerLawFits}), for the trained model and, when there is one, the random control.
 * In WeightWatcher's reading of such exponents a well-trained layer has alpha between about 2 and 6, and random
 * weights give a light tail (a large alpha, or a poor fit: a large ksDistance).
 *
 * @param method      how the fits were made, in words
 * @param minimumTail the smallest tail a fit was allowed
 * @param trained     one fit per (layer, circuit), layer-major, QK first
 * @param control     the same for the control; null without one
 */
public record HeavyTailFits(String method, int minimumTail, List<LayerTailFit> trained, List<LayerTailFit> control) {

    public static final String METHOD = "continuous power law p(x) ~ x^-alpha, x >= xmin, on the squared singular "
            + "values of every analysed head of the layer pooled; alpha by maximum likelihood (1 + n / sum ln(x / xmin)), "
            + "xmin the candidate minimising the Kolmogorov-Smirnov distance (Clauset, Shalizi and Newman 2009)";

    public HeavyTailFits {
        trained = List.copyOf(trained);
        control = control == null ? null : List.copyOf(control);
    }

    public static HeavyTailFits of(ModelSpectra trained, ModelSpectra control) {
        return new HeavyTailFits(METHOD, PowerLawFits.DEFAULT_MIN_TAIL, perLayer(trained, PowerLawFits.DEFAULT_MIN_TAIL),
                control == null ? null : perLayer(control, PowerLawFits.DEFAULT_MIN_TAIL));
    }

    static List<LayerTailFit> perLayer(ModelSpectra spectra, int minTail) {
        TreeMap<Integer, List<HeadSpectra>> layers = new TreeMap<>();
        for (HeadSpectra h : spectra.heads()) {
            layers.computeIfAbsent(h.layer(), l -> new ArrayList<>()).add(h);
        }
        List<LayerTailFit> out = new ArrayList<>();
        for (var e : layers.entrySet()) {
            for (CircuitType type : CircuitType.values()) {
                double[] squares = pooledSquares(e.getValue(), type);
                PowerLawFit f = PowerLawFits.fit(squares, minTail);
                out.add(f == null
                        ? new LayerTailFit(e.getKey(), type, e.getValue().size(), positives(squares), 0, Double.NaN,
                                Double.NaN, Double.NaN, Double.NaN)
                        : new LayerTailFit(e.getKey(), type, e.getValue().size(), f.n(), f.nTail(), f.xmin(), f.alpha(),
                                f.alphaStdError(), f.ksDistance()));
            }
        }
        return out;
    }

    /** sigma^2 of every head's circuit of this type, concatenated. */
    static double[] pooledSquares(List<HeadSpectra> heads, CircuitType type) {
        int size = heads.stream().mapToInt(h -> h.circuit(type).singularValues().length).sum();
        double[] out = new double[size];
        int k = 0;
        for (HeadSpectra h : heads) {
            for (double s : h.circuit(type).singularValues()) {
                out[k++] = s * s;
            }
        }
        return out;
    }

    private static int positives(double[] x) {
        int n = 0;
        for (double v : x) {
            if (v > 0 && Double.isFinite(v)) {
                n++;
            }
        }
        return n;
    }
}
