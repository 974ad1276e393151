/**
 * The random control model: the trained model's architecture and shapes with Hugging Face's
 * initialisation, generated on demand from one seed (xoshiro256++ bits, ziggurat normals, one stream
 * per matrix row keyed by SplitMix64 mixing), never stored and never written to disk.
 */
package io.github.spectralcircuits.model.control;
