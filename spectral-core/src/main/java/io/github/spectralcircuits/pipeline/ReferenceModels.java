package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.compare.ReferenceComparisons;
import io.github.spectralcircuits.io.HubCache;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The reference model of a comparison (spectral.reference): where it is, and the report with the comparison
 * against it. A reference is a model directory or a Hugging Face hub id (org/name[@revision]) read from the
 * local cache, found as the analysed model is ({@link HubCache#locate}).
 */
public final class ReferenceModels {
    private ReferenceModels() {
    }

    /** The reference's model directory: a directory, else the snapshot of a hub id in the local cache. */
    public static Path resolve(String reference) {
        return resolve(reference, Path.of("").toAbsolutePath(), HubCache.Environment.system());
    }

    /** As {@link #resolve(String)}, relative paths against base and the cache found through env. */
    static Path resolve(String reference, Path base, HubCache.Environment env) {
        Path p;
        try {
            // a hub id missing from the cache fails here, in HubCache's own words (where it looked, what to run)
            p = HubCache.locate(reference, base, env);
        } catch (InvalidPathException e) {
            p = null;
        }
        if (p != null && Files.isDirectory(p)) {
            return p;
        }
        throw new SpectralException("The reference model " + (p == null ? reference : p) + " ("
                + ParameterNames.ref("reference") + ") does not exist or is not a directory; point it at the model "
                + "directory (config.json and weights) to compare against, or at a hub id in the local Hugging Face "
                + "cache, or leave it unset.");
    }

    /**
     * Fails now, before any analysis, when the reference is missing or not the model's architecture, or when
     * the comparison (both models' factors at once) cannot fit this JVM's heap: opening both reads their
     * configs and tensor headers only, where the analysis of a large model takes minutes.
     */
    public static void checkBeforeAnalysis(Path model, String reference, AnalysisSettings settings) {
        Path dir = resolve(reference);
        try (TransformerModel m = ModelLoader.open(model); TransformerModel r = ModelLoader.open(dir)) {
            ReferenceComparisons.checkSameShape(m.info(), r.info(), dir.toString());
            long heap = Runtime.getRuntime().maxMemory();
            MemoryPlan.forReference(m.info(), settings, heap).requireFits(m.info(), heap);
        }
    }

    /** The report with its comparison against the reference: both models opened, nothing else recomputed. */
    public static SpectralReport compare(SpectralReport report, Path model, String reference, AnalysisSettings settings,
                                         ProgressListener progress) {
        Path dir = resolve(reference);
        try (TransformerModel m = ModelLoader.open(model); TransformerModel r = ModelLoader.open(dir)) {
            ReferenceComparisons.Result result = ReferenceComparisons.compare(m, r, dir.toString(), settings, progress);
            return report.withReference(result.comparison(), result.changedHeads());
        }
    }
}
