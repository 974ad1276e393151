package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.spectra.CircuitType;

/**
 * A head among those that change most along the checkpoints, by the statistic in which it changes most.
 *
 * @param rank    1 for the head that changes most
 * @param circuit and metric: the statistic of that largest change
 * @param change  (largest - smallest value along the checkpoints) / the statistic's typical size (the mean
 *                of its absolute value over all heads and checkpoints), so that statistics of different
 *                scales compare
 * @param values  the statistic at each checkpoint, in the aggregate's order (NaN where the head is missing)
 */
public record HeadChange(int rank, int layer, int head, CircuitType circuit, String metric, double change,
                         double[] values) {
}
