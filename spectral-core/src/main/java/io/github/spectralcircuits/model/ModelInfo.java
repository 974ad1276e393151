package io.github.spectralcircuits.model;

/** The architecture facts of a normalised model, as they go into the report's "model" object. */
public record ModelInfo(
        String path,
        String architecture,
        int vocabSize,
        int dModel,
        int nLayers,
        int nHeads,
        int nKvHeads,
        int dHead,
        boolean tiedEmbeddings,
        String dtype,
        double initializerRange) {

    /** Grouped-query attention: query head h reads key/value head h / (H / KV). */
    public int kvHeadOf(int head) {
        return head / (nHeads / nKvHeads);
    }
}
