package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.spectralcircuits.model.LayerWeights;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ExtractMojoTest {
    private static LayerWeights layer(int heads, int kvHeads, int dHead, int d) {
        return new LayerWeights(3, heads, kvHeads, dHead, new double[d], new DMatrixRMaj(d, heads * dHead),
                new DMatrixRMaj(d, kvHeads * dHead), new DMatrixRMaj(d, kvHeads * dHead),
                new DMatrixRMaj(heads * dHead, d));
    }

    @Test
    void groupedQueryLayoutNamesWhichHeadsShareEachKeyValueHead() {
        assertEquals("layer 3: W_Q 16x12, W_K 16x4, W_V 16x4, W_O 12x16; 6 heads of 2, grouped-query: "
                + "heads 0-2 -> kv 0, heads 3-5 -> kv 1", ExtractMojo.layout(layer(6, 2, 2, 16)));
    }

    @Test
    void multiHeadLayoutSaysEachHeadHasItsOwnKeyValueHead() {
        assertEquals("layer 3: W_Q 8x8, W_K 8x8, W_V 8x8, W_O 8x8; 4 heads of 2, one key/value head each",
                ExtractMojo.layout(layer(4, 4, 2, 8)));
    }
}
