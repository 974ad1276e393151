package io.github.spectralcircuits.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.model.ModelInfo;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MemoryPlanTest {
    static final ModelInfo LLAMA2_7B = new ModelInfo("llama-2-7b", "LlamaForCausalLM", 32000, 4096, 32, 32, 32, 128,
            false, "BF16", 0.02);
    static final ModelInfo LLAMA2_13B = new ModelInfo("llama-2-13b", "LlamaForCausalLM", 32000, 5120, 40, 40, 40, 128,
            false, "BF16", 0.02);
    static final ModelInfo TINYSTORIES = new ModelInfo("tinystories-33m", "GPTNeoForCausalLM", 50257, 768, 4, 16, 16, 48,
            true, "F32", 0.02);

    /** One layer of 7B shapes by hand: 4 weights of 4096 x 4096 doubles, the 3 shared d x d, the larger of one tensor or a group. */
    @Test
    void layerStageIsTheWeightsTheSharedMatricesAndOneGroup() {
        MemoryPlan p = MemoryPlan.of(LLAMA2_7B, AnalysisSettings.defaults().withControl(false));
        long d2 = 8L * 4096 * 4096;
        long group = 8L * 4096 * (4 * 1024 + 5 * 1024) + d2;
        assertEquals(3 * d2 + 4 * d2 + Math.max(d2, group), p.layerBytes());
        assertEquals(0, p.controlBytes());
    }

    /**
     * The spectra's needs do not grow with the number of layers; composition scores' kept factors do, which is
     * why they run only where they take at most a quarter of the heap (4 layers of 7B: 403 MB, counted).
     */
    @Test
    void needsDoNotGrowWithTheNumberOfLayers() {
        ModelInfo fourLayers = new ModelInfo("x", "LlamaForCausalLM", 32000, 4096, 4, 32, 32, 128, false, "BF16", 0.02);
        AnalysisSettings s = withoutComposition(AnalysisSettings.defaults());
        assertEquals(MemoryPlan.of(fourLayers, s).neededHeapBytes(), MemoryPlan.of(LLAMA2_7B, s).neededHeapBytes());
        AnalysisSettings d = AnalysisSettings.defaults();
        long kept = 8L * 3 * 4096 * 4096;
        assertTrue(MemoryPlan.of(fourLayers, d).layerBytes() >= MemoryPlan.of(fourLayers, s).layerBytes() + kept);
        assertTrue(MemoryPlan.of(fourLayers, d).recommendedHeapBytes() >= 4 * kept);
    }

    private static AnalysisSettings withoutComposition(AnalysisSettings with) {
        ReadoutSettings r = with.readouts();
        return with.withReadouts(new ReadoutSettings(r.tokenReadouts(), r.topTokens(), r.singularDirections(), false,
                r.compositionTop()));
    }

    @Test
    void referenceWorkloadFitsTheOldDefaultAnd7bAnd13bFitThisMachinesMemory() {
        AnalysisSettings s = AnalysisSettings.defaults();
        assertEquals(MemoryPlan.MIN_HEAP_BYTES, MemoryPlan.of(TINYSTORIES, s).recommendedHeapBytes());
        long seven = MemoryPlan.of(LLAMA2_7B, s).recommendedHeapBytes();
        long thirteen = MemoryPlan.of(LLAMA2_13B, s).recommendedHeapBytes();
        assertTrue(seven > MemoryPlan.MIN_HEAP_BYTES && seven <= 8L << 30, MemoryPlan.size(seven));
        assertTrue(thirteen > seven && thirteen <= 12L << 30, MemoryPlan.size(thirteen));
        assertEquals(0, seven % (256L << 20));
    }

    @Test
    void tooSmallAHeapIsRefusedWithTheNumberItNeeds() {
        MemoryPlan p = MemoryPlan.of(LLAMA2_7B, AnalysisSettings.defaults());
        SpectralException e = assertThrows(SpectralException.class, () -> p.requireFits(LLAMA2_7B, 1L << 30));
        String m = e.getMessage();
        assertTrue(m.contains(MemoryPlan.size(p.neededHeapBytes())), m);
        assertTrue(m.contains("-Xmx" + p.recommendedHeap()), m);
        assertTrue(m.contains("only 1.0 GB"), m);
        assertFalse(m.contains("\n"), m);
        assertFalse(m.contains("spectral."), "the core names no Maven property: " + m);
        assertDoesNotThrow(() -> p.requireFits(LLAMA2_7B, p.recommendedHeapBytes()));
    }

    @Test
    void forkHeapIsSizedFromTheShapesAndRefusedWhenTheMachineHasTooLittle() {
        AnalysisSettings s = AnalysisSettings.defaults();
        MemoryPlan p = MemoryPlan.of(LLAMA2_7B, s);
        ForkHeap fits = ForkHeap.forShapes(LLAMA2_7B, s, OptionalLong.of(24L << 30));
        assertEquals(p.recommendedHeap(), fits.heap());
        assertTrue(fits.reason().contains("24.0 GB available"), fits.reason());
        assertEquals("1g", ForkHeap.forShapes(TINYSTORIES, s, OptionalLong.empty()).heap());
        SpectralException e = assertThrows(SpectralException.class,
                () -> ForkHeap.forShapes(LLAMA2_13B, s, OptionalLong.of(2L << 30)));
        assertTrue(e.getMessage().contains("only 2.0 GB of memory available"), e.getMessage());
        assertTrue(e.getMessage().contains(MemoryPlan.size(MemoryPlan.of(LLAMA2_13B, s).recommendedHeapBytes())), e.getMessage());
    }

    /**
     * Composition scores keep every earlier layer's factors: counted where they run (GPT-2 small's 12 layers,
     * 52 MB, in the trained stage, by hand), not where they do not fit a quarter of the
     * heap (7B: 4.2 GB of factors, so 7B's plan is the spectra's alone).
     */
    @Test
    void compositionsKeptFactorsAreCountedWhereTheyRun() {
        ModelInfo gpt2 = new ModelInfo("gpt2", "GPT2LMHeadModel", 50257, 768, 12, 12, 12, 64, true, "F32", 0.02);
        AnalysisSettings with = AnalysisSettings.defaults();
        AnalysisSettings without = withoutComposition(with);
        long kept = 8L * 11 * 768 * 768;
        assertTrue(MemoryPlan.compositionFits(gpt2, with, 1L << 30));
        MemoryPlan a = MemoryPlan.of(gpt2, with);
        MemoryPlan b = MemoryPlan.of(gpt2, without);
        assertTrue(a.layerBytes() - b.layerBytes() >= kept, a + " / " + b);
        // the control's stage: its own sample's one layer of factors and products, not the trained model's, which
        // are dropped when the trained model's last layer is done
        assertTrue(a.controlBytes() > b.controlBytes(), a + " / " + b);
        assertTrue(a.controlBytes() - b.controlBytes() < kept, a + " / " + b);
        // in a heap too small for them they are skipped, and not counted
        assertFalse(MemoryPlan.compositionFits(gpt2, with, 4 * kept - 1));
        assertEquals(b, MemoryPlan.forHeap(gpt2, with, 4 * kept - 1));
        assertFalse(MemoryPlan.compositionFits(LLAMA2_7B, with, MemoryPlan.of(LLAMA2_7B, without).recommendedHeapBytes()));
        assertEquals(MemoryPlan.of(LLAMA2_7B, without), MemoryPlan.of(LLAMA2_7B, with));
        // four of 7B's 32 layers selected (spectral.layers): their factors, 3 x 32 x 128 x 4096 doubles (403 MB), fit
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings four = new AnalysisSettings(d.foldNorms(), d.nearZeroTolerance(), d.rankTolerance(), d.control(),
                d.controlSeed(), d.highRankFraction(), d.zThreshold(), java.util.Set.of(0, 1, 2, 3), java.util.Set.of(),
                d.verifyDense(), d.denseTolerance(), d.readouts());
        long fourKept = 8L * 3 * 32 * 128 * 4096;
        assertTrue(MemoryPlan.compositionFits(LLAMA2_7B, four, MemoryPlan.of(LLAMA2_7B, without).recommendedHeapBytes()));
        assertFalse(MemoryPlan.compositionFits(LLAMA2_7B, four, 4 * fourKept - 1));
        assertTrue(MemoryPlan.of(LLAMA2_7B, four).layerBytes() - MemoryPlan.of(LLAMA2_7B, without).layerBytes() >= fourKept);
    }

    /**
     * A reference comparison holds both models' Grams, factors and layer products at once: 7B's untied
     * embedding makes that more than the analysis's own peak, so the fork is sized for it, and a heap that fits
     * the analysis alone is refused before anything starts, naming the comparison.
     */
    @Test
    void aReferenceModelIsCountedAsTheStageAfterTheAnalysis() {
        AnalysisSettings s = AnalysisSettings.defaults();
        MemoryPlan alone = MemoryPlan.of(LLAMA2_7B, s);
        MemoryPlan compared = MemoryPlan.of(LLAMA2_7B, s, true);
        assertEquals(0, alone.referenceBytes());
        long d2 = 8L * 4096 * 4096;
        // both models' six d x d Grams and factors, the two overlaps, both layers' kept matrices: at least
        assertTrue(compared.referenceBytes() >= (2 * 6 + 2 + 2 * 3) * d2, compared.toString());
        assertTrue(compared.referenceBytes() > alone.peakBytes(), compared + " vs " + alone);
        assertTrue(compared.recommendedHeapBytes() > alone.recommendedHeapBytes());
        assertEquals(compared.recommendedHeap(),
                ForkHeap.forShapes(LLAMA2_7B, s, true, OptionalLong.of(24L << 30)).heap());
        long enoughAlone = alone.neededHeapBytes();
        SpectralException e = assertThrows(SpectralException.class,
                () -> MemoryPlan.forReference(LLAMA2_7B, s, enoughAlone).requireFits(LLAMA2_7B, enoughAlone));
        assertTrue(e.getMessage().contains("comparison with the reference"), e.getMessage());
        // the small example's comparison fits the smallest fork
        assertEquals(MemoryPlan.MIN_HEAP_BYTES, MemoryPlan.of(TINYSTORIES, s, true).recommendedHeapBytes());
    }

    @Test
    void procFilesAreReadInBytes() {
        // on Linux the status file has VmHWM in kB; elsewhere nothing is claimed
        OptionalLong rss = MemoryUse.peakResidentBytes();
        if (rss.isPresent()) {
            assertTrue(rss.getAsLong() > 10L << 20 && rss.getAsLong() % 1024 == 0, String.valueOf(rss.getAsLong()));
        }
        assertTrue(MemoryUse.summary().startsWith("Memory: heap "), MemoryUse.summary());
    }
}
