package io.github.spectralcircuits.bench;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.circuits.SharedProducts;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the core pipeline stage by stage on random models with real models' shapes (generated
 * here, see {@link ShapedModels}), then the whole analysis as the plugin runs it. Run it with
 * {@code mvn -Pbench -pl spectral-core verify} (README, "Performance"). Not a test: timings are noisy
 * on a shared machine, so it reports medians of several runs and heads per second, and the
 * comparison with the numpy peer is made by bench/side-by-side.sh in the same session.
 *
 * <p>Arguments: {@code [shape,shape,...] [repeats] [workDir]}; shapes tinystories33m (the reference
 * workload of SPEC section 9), gpt2small, pythia160m.
 */
public final class PipelineBenchmark {

    public static void main(String[] args) throws Exception {
        String shapes = args.length > 0 ? args[0] : "tinystories33m,gpt2small";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Path.of(args.length > 2 ? args[2] : "target/bench-models");
        System.out.printf(Locale.ROOT, "kernel=%s threads=%d maxHeap=%dMB%n", DenseKernel.best().name(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        for (String id : shapes.split(",")) {
            if (ShapedModels.isBig(id.trim())) {
                // 7B-13B shapes: stage by stage once (a run takes minutes), with rates and the control's cost
                ScaleBenchmark.main(new String[] {work.resolve(ShapedModels.bigDirectory(id.trim())).toString()});
                continue;
            }
            ShapedModels.Shape shape = ShapedModels.Shape.of(id.trim());
            Path dir = work.resolve(id.trim());
            if (!Files.exists(dir.resolve("model.safetensors"))) {
                throw new IllegalStateException(dir + " is missing: generate it first with ShapedModels (the bench profile does)");
            }
            List<Map<String, Double>> runs = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                runs.add(stages(dir));
                runs.get(r).putAll(whole(dir));
            }
            print(id, runs);
        }
        System.out.printf(Locale.ROOT, "peak heap used: %d MB%n", peakHeapMb());
    }

    /** The trained model's spectra stage by stage (the analyzer's own loop, with clocks around each stage). */
    private static Map<String, Double> stages(Path dir) {
        Map<String, Double> t = new LinkedHashMap<>();
        AnalysisSettings settings = AnalysisSettings.defaults();
        long t0 = System.nanoTime();
        try (TransformerModel model = ModelLoader.open(dir)) {
            ModelInfo info = model.info();
            long t1 = System.nanoTime();
            EmbeddingGrams grams = EmbeddingGrams.compute(model);
            SharedProducts shared = SharedProducts.of(grams, model.finalNormGain());
            long t2 = System.nanoTime();
            long load = 0;
            long products = 0;
            long cores = 0;
            long spectra = 0;
            int heads = 0;
            for (int l = 0; l < info.nLayers(); l++) {
                LayerStageClock clock = LayerStageClock.time(model, shared, l, settings);
                heads += clock.heads();
                load += clock.loadNanos();
                products += clock.productsNanos();
                cores += clock.coresNanos();
                spectra += clock.spectraNanos();
            }
            t.put("heads", (double) heads);
            t.put("open", secs(t1 - t0));
            t.put("sharedProducts", secs(t2 - t1));
            t.put("layerLoad", secs(load));
            t.put("layerProducts", secs(products));
            t.put("headCores", secs(cores));
            t.put("spectra+stats", secs(spectra));
            t.put("trainedTotal", secs(System.nanoTime() - t0));
        }
        return t;
    }

    /** The whole analysis as analyze runs it: trained (+ control and comparison when on), then the report. */
    private static Map<String, Double> whole(Path dir) throws Exception {
        Map<String, Double> t = new LinkedHashMap<>();
        Path out = Files.createTempDirectory("spectral-bench");
        long t0 = System.nanoTime();
        SpectralReport report = SpectralAnalysis.run(dir, AnalysisSettings.defaults(), null, ProgressListener.NONE);
        long t1 = System.nanoTime();
        ReportWriter.write(report, out);
        long t2 = System.nanoTime();
        t.put("analysis(run)", secs(t1 - t0));
        t.put("reportJson", secs(t2 - t1));
        t.put("wholeAnalyze", secs(t2 - t0));
        return t;
    }

    private static void print(String id, List<Map<String, Double>> runs) {
        System.out.printf(Locale.ROOT, "%n== %s (%d runs; median [min..max] seconds)%n", id, runs.size());
        for (String k : runs.get(0).keySet()) {
            double[] v = runs.stream().mapToDouble(m -> m.get(k)).sorted().toArray();
            if (k.equals("heads")) {
                System.out.printf(Locale.ROOT, "%-16s %6.0f%n", k, v[0]);
                continue;
            }
            System.out.printf(Locale.ROOT, "%-16s %8.3f  [%.3f .. %.3f]%n", k, median(v), v[0], v[v.length - 1]);
        }
        double[] perHead = runs.stream().mapToDouble(m -> (m.get("trainedTotal") - m.get("open")) / m.get("heads") * 1000).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-16s %8.2f ms/head (trained, after open)%n", "perHead", median(perHead));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }
}
