package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.IndexRanges;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A request as the command line that asks for it, for a program that launches the analysis (the Maven
 * plugin's fork): {@code analyze MODEL --out DIR --fold-norms=true ...}. Every setting is written out, so
 * that the child computes what the launcher asked for even where a default might one day differ.
 * The rules travel as a file, written by the launcher.
 */
public final class CommandLineArguments {
    /** The hidden option that makes the child print outcome lines for its launcher. */
    public static final String FORK_PROTOCOL = "--fork-protocol";

    private CommandLineArguments() {
    }

    public static List<String> of(AnalysisRequest request, Path rulesFile) {
        AnalysisSettings s = request.settings();
        List<String> args = new ArrayList<>();
        args.add("analyze");
        args.add("--out=" + request.outputDirectory());
        args.add("--fold-norms=" + s.foldNorms());
        args.add("--near-zero-tolerance=" + s.nearZeroTolerance());
        args.add("--rank-tolerance=" + s.rankTolerance());
        args.add("--control=" + s.control());
        args.add("--control-seed=" + s.controlSeed());
        args.add("--high-rank-fraction=" + s.highRankFraction());
        args.add("--z-threshold=" + s.zThreshold());
        if (!s.layers().isEmpty()) {
            args.add("--layers=" + IndexRanges.format(new TreeSet<>(s.layers())));
        }
        if (!s.heads().isEmpty()) {
            args.add("--heads=" + IndexRanges.format(new TreeSet<>(s.heads())));
        }
        args.add("--verify-dense=" + s.verifyDense());
        args.add("--token-readouts=" + s.readouts().tokenReadouts());
        args.add("--top-tokens=" + s.readouts().topTokens());
        args.add("--singular-directions=" + s.readouts().singularDirections());
        args.add("--composition=" + s.readouts().composition());
        args.add("--composition-top=" + s.readouts().compositionTop());
        if (request.baseline() != null) {
            args.add("--baseline=" + request.baseline());
        }
        if (request.reference() != null) {
            args.add("--reference=" + request.reference());
        }
        if (rulesFile != null) {
            args.add("--rules=" + rulesFile);
        }
        args.add("--charts=" + request.charts());
        args.add("--native-blas=" + request.nativeBlas());
        args.add("--"); // a model path that starts with "-" is still the model
        args.add(request.model());
        return args;
    }
}
