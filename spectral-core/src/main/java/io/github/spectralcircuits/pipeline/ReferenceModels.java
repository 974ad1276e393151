package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.compare.ReferenceComparisons;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The reference model of a comparison (spectral.reference): where it is, and the report with the comparison
 * against it. A reference is a model directory; a Hugging Face hub id (org/name[@revision]) is recognised and
 * will resolve through {@link #resolve} once hub ids are read from the local cache.
 */
public final class ReferenceModels {
    /** org/name or org/name@revision, the hub's id syntax. */
    static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*(@[^/\\s]+)?");

    private ReferenceModels() {
    }

    /**
     * The reference's model directory. The hook for hub ids: when the model loader resolves
     * org/name[@revision] from the Hugging Face cache (HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub),
     * call it here for a reference that is not a directory but matches {@link #HUB_ID}.
     */
    public static Path resolve(String reference) {
        Path p;
        try {
            p = Path.of(reference).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            p = null;
        }
        if (p != null && Files.isDirectory(p)) {
            return p;
        }
        if (HUB_ID.matcher(reference).matches()) {
            throw new SpectralException("The reference model '" + reference + "' (" + ParameterNames.ref("reference")
                    + ") is not a directory and looks like a Hugging Face hub id; this version reads a reference from "
                    + "a model directory only. Give the directory that holds its config.json and weights (in the "
                    + "Hugging Face cache that is hub/models--ORG--NAME/snapshots/REVISION).");
        }
        throw new SpectralException("The reference model " + (p == null ? reference : p) + " ("
                + ParameterNames.ref("reference") + ") does not exist or is not a directory; point it at the model "
                + "directory (config.json and weights) to compare against, or leave it unset.");
    }

    /**
     * Fails now, before any analysis, when the reference is missing or not the model's architecture: opening
     * both reads their configs and tensor headers only, where the analysis of a large model takes minutes.
     */
    public static void checkBeforeAnalysis(Path model, String reference) {
        Path dir = resolve(reference);
        try (TransformerModel m = ModelLoader.open(model); TransformerModel r = ModelLoader.open(dir)) {
            ReferenceComparisons.checkSameShape(m.info(), r.info(), dir.toString());
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
