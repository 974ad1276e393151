package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The maximum heap for a JVM of its own that will analyse a model, when the user has not chosen one: what
 * {@link MemoryPlan} says the model's shapes need (at least 1 GB), checked against the memory this machine
 * has available, so that a model that cannot fit is refused with the number it needs before anything starts.
 *
 * @param heap   as java's -Xmx takes it ("3g", "1536m")
 * @param reason one line for the log: where the number comes from
 */
public record ForkHeap(String heap, String reason) {
    /** What the process needs besides its heap (JVM, code, native buffers, the mapped embedding's pages). */
    static final long OUTSIDE_HEAP_BYTES = 768L << 20;

    /** Reads the model's shapes (headers only; the weights stay on disk) and sizes the heap for them. */
    public static ForkHeap forModel(Path model, AnalysisSettings settings) {
        return forModel(model, settings, false);
    }

    /** As {@link #forModel(Path, AnalysisSettings)}, counting a comparison with a reference model ({@code spectral.reference}). */
    public static ForkHeap forModel(Path model, AnalysisSettings settings, boolean reference) {
        ModelInfo info;
        try (TransformerModel m = ModelLoader.open(model)) {
            info = m.info();
        } catch (SpectralException e) {
            // the analysis itself will say what is wrong with the model, in its own words
            return new ForkHeap("1g", "1 GB (the model's shapes could not be read here)");
        }
        return forShapes(info, settings, reference, MemoryUse.availableBytes());
    }

    static ForkHeap forShapes(ModelInfo info, AnalysisSettings settings, OptionalLong available) {
        return forShapes(info, settings, false, available);
    }

    static ForkHeap forShapes(ModelInfo info, AnalysisSettings settings, boolean reference, OptionalLong available) {
        MemoryPlan plan = MemoryPlan.of(info, settings, reference);
        long heap = plan.recommendedHeapBytes();
        if (available.isPresent() && heap + OUTSIDE_HEAP_BYTES > available.getAsLong()) {
            throw new SpectralException(String.format(Locale.ROOT, "Analysing %s (vocabulary %d, d_model %d, %d layers of %d "
                    + "heads) needs about %s of Java heap plus %s for the JVM itself, but this machine has only %s of memory "
                    + "available. Free memory (stop other programs or builds), or run the analysis on a machine with at "
                    + "least %s available; nothing was started and no report was written.", info.path(), info.vocabSize(),
                    info.dModel(), info.nLayers(), info.nHeads(), MemoryPlan.size(heap), MemoryPlan.size(OUTSIDE_HEAP_BYTES),
                    MemoryPlan.size(available.getAsLong()), MemoryPlan.size(heap + OUTSIDE_HEAP_BYTES)));
        }
        return new ForkHeap(plan.recommendedHeap(), MemoryPlan.size(heap) + " (sized from the model's shapes: about "
                + MemoryPlan.size(plan.neededHeapBytes()) + " needed"
                + (available.isPresent() ? ", " + MemoryPlan.size(available.getAsLong()) + " available" : "") + ")");
    }
}
