package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.IndexRanges;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.check.RulesFile;
import io.github.spectralcircuits.io.HubCache;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code analyze MODEL --out DIR [options]}: the options of one analysis, as picocli binds them. Every
 * option is one component of {@link AnalysisSettings} or of the {@link AnalysisRequest}, under the same name
 * in kebab case, with the same default as the Maven plugin's parameter of that name.
 */
@Command(name = "analyze", sortOptions = false, mixinStandardHelpOptions = true,
        description = {
            "Analyses the spectra of every attention head's full QK and OV circuits of a Hugging Face model "
                    + "directory (config.json and safetensors or PyTorch weights), compares them with a random "
                    + "control of the same shape and, if given, a baseline report, and writes "
                    + "DIR/spectral-report.json and PNG charts.",
            "",
            "Exit codes: 0 done, 1 the input was refused (the message says why), 2 a defect, 3 out of heap, "
                    + "5 a rule is violated."},
        footer = {"", "Example: java --add-modules jdk.incubator.vector -jar spectral-core-cli.jar analyze "
                + "examples/stories260k --out target/spectral --layers=0-1"})
final class AnalyzeCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model directory, a Hugging Face cache snapshot, "
            + "or a hub id org/name[@revision] found offline in the local cache (HF_HUB_CACHE, else HF_HOME/hub, else "
            + "~/.cache/huggingface/hub).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where spectral-report.json and the charts go (created if needed).")
    Path out;

    @Option(names = "--fold-norms", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Fold the norms' gains into the weights (default: ${DEFAULT-VALUE}).")
    boolean foldNorms;

    @Option(names = "--near-zero-tolerance", defaultValue = "1e-3", paramLabel = "X",
            description = "An eigenvalue is near zero when |lambda| <= X * max|lambda| (default: ${DEFAULT-VALUE}).")
    double nearZeroTolerance;

    @Option(names = "--rank-tolerance", defaultValue = "1e-6", paramLabel = "X",
            description = "numericalRank counts singular values above X * sigma_1 (default: ${DEFAULT-VALUE}).")
    double rankTolerance;

    @Option(names = "--control", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Build the random control model and compare against it (default: ${DEFAULT-VALUE}).")
    boolean control;

    @Option(names = "--control-seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the control's random weights (default: ${DEFAULT-VALUE}).")
    long controlSeed;

    @Option(names = "--high-rank-fraction", defaultValue = "0.5", paramLabel = "X",
            description = "H0 'high rank' means numericalRank >= X * V (default: ${DEFAULT-VALUE}).")
    double highRankFraction;

    @Option(names = "--z-threshold", defaultValue = "3", paramLabel = "Z",
            description = "The least calibrated |z| of a thinking head, a circuit that stands out among the model's "
                    + "heads; the corrected threshold is usually higher (default: ${DEFAULT-VALUE}).")
    double zThreshold;

    @Option(names = "--layers", paramLabel = "RANGES", description = "Layers to analyse, 0-based, e.g. 0-3,5 (default: all).")
    String layers;

    @Option(names = "--heads", paramLabel = "RANGES", description = "Heads to analyse in each layer, e.g. 0-7 (default: all).")
    String heads;

    @Option(names = "--verify-dense", negatable = true, defaultValue = "false", fallbackValue = "true", arity = "0..1",
            description = "Also form every V x V circuit and check the factored spectra against it (small V only).")
    boolean verifyDense;

    @Option(names = "--token-readouts", defaultValue = "auto", paramLabel = "on|off|auto",
            description = "Each head's top copying tokens and singular directions in tokens (tokenizer.json); auto: "
                    + "only when cheap, i.e. small vocabularies (default: ${DEFAULT-VALUE}).")
    String tokenReadouts;

    @Option(names = "--top-tokens", defaultValue = "10", paramLabel = "K",
            description = "Tokens per readout list (default: ${DEFAULT-VALUE}).")
    int topTokens;

    @Option(names = "--singular-directions", defaultValue = "3", paramLabel = "N",
            description = "Singular directions read in tokens per circuit (default: ${DEFAULT-VALUE}).")
    int singularDirections;

    @Option(names = "--composition", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Q/K/V composition scores between heads of different layers (default: ${DEFAULT-VALUE}).")
    boolean composition;

    @Option(names = "--composition-top", defaultValue = "100", paramLabel = "N",
            description = "Head pairs per composition mode in the report (default: ${DEFAULT-VALUE}).")
    int compositionTop;

    @Option(names = "--baseline", paramLabel = "REPORT", description = "An earlier spectral-report.json to measure drift against.")
    Path baseline;

    @Option(names = "--reference", paramLabel = "MODEL",
            description = "A model of the same architecture (the base of a fine-tune, an earlier checkpoint) to "
                    + "compare head by head, a directory or a hub id in the local cache: changedHeads in the report.")
    String reference;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Rules as JSON: [{\"circuit\": \"OV\", \"layers\": \"0-3\", \"limits\": [{\"metric\": "
                    + "\"effectiveRank\", \"minimum\": 2}]}]; their results go into the report's checks.")
    Path rules;

    @Option(names = "--fail-on-violation", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Exit with code 5 when a rule is violated (default: ${DEFAULT-VALUE}).")
    boolean failOnViolation;

    @Option(names = "--charts", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Draw the PNG charts next to the report (default: ${DEFAULT-VALUE}).")
    boolean charts;

    @Option(names = "--native-blas", defaultValue = "auto", paramLabel = "auto|true|false",
            description = "The large products on OpenBLAS (bundled for Linux x86-64): auto for models whose products "
                    + "make it pay (about 7B shapes), true always, false never (the own Java kernels; the spectra "
                    + "agree to 1e-12). Default: ${DEFAULT-VALUE}.")
    String nativeBlas;

    /** Outcome lines for a launching program instead of messages for a person (the Maven plugin's fork). */
    @Option(names = "--fork-protocol", hidden = true)
    boolean forkProtocol;

    /** The request these options describe; paths made absolute, selections and settings checked. */
    AnalysisRequest request() {
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings settings = new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, control,
                controlSeed, highRankFraction, zThreshold,
                IndexRanges.parse(layers, io.github.spectralcircuits.ParameterNames.ref("layers")),
                IndexRanges.parse(heads, io.github.spectralcircuits.ParameterNames.ref("heads")),
                verifyDense, d.denseTolerance(),
                new io.github.spectralcircuits.ReadoutSettings(tokenReadouts, topTokens, singularDirections, composition,
                        compositionTop)).validated();
        List<Rule> ruleList = rules == null ? null : RulesFile.read(rules.toAbsolutePath());
        Path modelDirectory = HubCache.locate(model, Path.of("").toAbsolutePath(), HubCache.Environment.system());
        return AnalysisRequest.of(modelDirectory, settings,
                baseline == null ? null : baseline.toAbsolutePath().normalize(), out.toAbsolutePath().normalize(),
                ruleList, charts).withReference(reference).withNativeBlas(nativeBlas);
    }
}
