/**
 * Sweeps: many checkpoints of one model (a training run, a family of fine-tunes), each analysed on its own
 * (a module of a Maven reactor, a job of a CI matrix), gathered into one aggregate. The unit of exchange is
 * the checkpoint's spectral-report.json; this package reads those reports, keeps what a trajectory needs
 * (each head's statistics, the thinking heads, the model and its weights' fingerprint), finds the heads
 * whose statistics change most along the checkpoints, and writes spectral-aggregate.json and its charts.
 * It sits above {@code report}, whose records and reader it uses, and knows nothing of Maven: the
 * checkpoints arrive as {@link io.github.spectralcircuits.aggregate.CheckpointSource}s, in the order to
 * keep.
 *
 * <ul>
 *   <li>{@link io.github.spectralcircuits.aggregate.Aggregation}: sources in, aggregate out; refuses
 *       checkpoints that cannot be compared.</li>
 *   <li>{@link io.github.spectralcircuits.aggregate.CheckpointReports}: one report, read, checked to be
 *       there and current, and reduced.</li>
 *   <li>{@link io.github.spectralcircuits.aggregate.ReportsFolder}: a folder of downloaded reports, one
 *       per sub-folder, as sources.</li>
 *   <li>{@link io.github.spectralcircuits.aggregate.Trajectories}: per head, per statistic, the values
 *       along the checkpoints, and the heads that change most.</li>
 *   <li>{@link io.github.spectralcircuits.aggregate.AggregateJson},
 *       {@link io.github.spectralcircuits.aggregate.AggregateCharts}: the file and the PNGs.</li>
 * </ul>
 */
package io.github.spectralcircuits.aggregate;
