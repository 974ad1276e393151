/**
 * Trained vs random control, and trained vs a stored baseline (SPEC section 5). Every function here is
 * pure over {@link io.github.spectralcircuits.spectra.ModelSpectra} and the settings, so it is tested on
 * hand-made spectra.
 *
 * <ul>
 *   <li>{@link io.github.spectralcircuits.compare.SpectralComparator}: per circuit type, per head and pooled
 *       over heads, the difference of SPEC section 4's mean and nearZeroRatio, and the Kolmogorov-Smirnov
 *       test and Wasserstein-1 distance between the |eigenvalue| (and singular value) distributions, each
 *       value divided by its circuit's spectral norm. The samples are the k = d_head core values of each
 *       circuit: the V - k structural zeros are the same in both models and would make up all but k of V
 *       values of each sample, so every test would compare mostly zeros with zeros.</li>
 *   <li>{@link io.github.spectralcircuits.compare.RankHypothesis}: H0 "high-rank", rejected by construction
 *       when d_head is below highRankFraction * V; paired Wilcoxon test of effective ranks.</li>
 *   <li>{@link io.github.spectralcircuits.compare.ThinkingHeads}: heads far from the control's spread.</li>
 *   <li>{@link io.github.spectralcircuits.compare.BaselineDrifts}: per-head, per-metric change since a baseline.</li>
 * </ul>
 */
package io.github.spectralcircuits.compare;
