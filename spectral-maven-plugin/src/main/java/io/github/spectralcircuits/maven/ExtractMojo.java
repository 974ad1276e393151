package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.check.IndexRanges;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Reads the model and logs its architecture, sizes, dtype, tied or untied unembedding, and each
 * layer's head layout (read from the weights themselves, so a shape that contradicts config.json
 * fails here, early).
 */
@Mojo(name = "extract", defaultPhase = LifecyclePhase.VALIDATE, requiresProject = false, threadSafe = true)
public class ExtractMojo extends AbstractSpectralMojo {

    @Override
    protected void run() {
        try (TransformerModel m = ModelLoader.open(modelPath())) {
            ModelInfo i = m.info();
            getLog().info(i.architecture() + " at " + i.path());
            getLog().info("vocab " + i.vocabSize() + ", d_model " + i.dModel() + ", " + i.nLayers() + " layers x "
                    + i.nHeads() + " heads (" + i.nKvHeads() + " key/value heads), d_head " + i.dHead()
                    + ", dtype " + i.dtype() + ", " + (i.tiedEmbeddings() ? "tied" : "untied") + " unembedding");
            getLog().info("W_E " + m.embedding().rows() + " x " + m.embedding().cols() + ", W_U^T "
                    + m.unembeddingTransposed().rows() + " x " + m.unembeddingTransposed().cols());
            for (int l = 0; l < i.nLayers(); l++) {
                getLog().info(layout(m.layer(l)));
            }
        }
    }

    /** "layer 0: W_Q 64x64, W_K 64x32, W_V 64x32, W_O 64x64; heads 0-1 -> kv 0, heads 2-3 -> kv 1, ...". */
    static String layout(LayerWeights w) {
        StringBuilder sb = new StringBuilder("layer ").append(w.layer()).append(": ")
                .append(shape("W_Q", w.wQ().numRows, w.wQ().numCols)).append(", ")
                .append(shape("W_K", w.wK().numRows, w.wK().numCols)).append(", ")
                .append(shape("W_V", w.wV().numRows, w.wV().numCols)).append(", ")
                .append(shape("W_O", w.wO().numRows, w.wO().numCols)).append("; ")
                .append(w.nHeads()).append(" heads of ").append(w.dHead());
        if (w.nKvHeads() == w.nHeads()) {
            return sb.append(", one key/value head each").toString();
        }
        List<String> groups = new ArrayList<>();
        for (int kv = 0; kv < w.nKvHeads(); kv++) {
            TreeSet<Integer> heads = new TreeSet<>();
            for (int h = 0; h < w.nHeads(); h++) {
                if (w.kvHeadOf(h) == kv) {
                    heads.add(h);
                }
            }
            groups.add("heads " + IndexRanges.format(heads) + " -> kv " + kv);
        }
        return sb.append(", grouped-query: ").append(String.join(", ", groups)).toString();
    }

    private static String shape(String name, int rows, int cols) {
        return name + " " + rows + "x" + cols;
    }
}
