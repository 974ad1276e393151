/**
 * The random control model: the trained model's architecture and shapes with Hugging Face's
 * initialisation, generated on demand from one seed (xoshiro256++ bits, ziggurat normals, one stream
 * per matrix row keyed by SplitMix64 mixing), never stored and never written to disk. Above 2048 tokens
 * the embedding itself is not generated: its Gram matrix is drawn from the Wishart law (Bartlett's
 * decomposition), which is all the circuits need.
 */
package io.github.spectralcircuits.model.control;
