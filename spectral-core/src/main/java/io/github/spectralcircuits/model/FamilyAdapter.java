package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.model.ArchitectureFamily.Fused;
import io.github.spectralcircuits.model.ArchitectureFamily.Norm;
import io.github.spectralcircuits.model.ArchitectureFamily.QkNorm;
import io.github.spectralcircuits.model.ArchitectureFamily.Separate;
import io.github.spectralcircuits.model.ArchitectureFamily.Storage;
import io.github.spectralcircuits.model.ArchitectureFamily.Unsupported;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;

/**
 * The one adapter: reads any family of {@link Families} by interpreting its {@link ArchitectureFamily}
 * description. Before a model is returned every tensor of every layer is checked against the shape
 * config.json implies, so a model that opens is one whose layers can all be read.
 */
public final class FamilyAdapter implements ArchitectureAdapter {
    @Override
    public Set<String> architectures() {
        return Set.copyOf(Families.architectures());
    }

    @Override
    public TransformerModel adapt(ModelConfig config, TensorSource source) {
        String architecture = config.architecture();
        ArchitectureFamily family = Families.forArchitecture(architecture).orElseThrow(() -> new ModelInputException(
                config.file() + " names the architecture \"" + architecture + "\", which is not supported. Supported "
                        + "architectures: " + String.join(", ", Families.architectures()) + ". Use a model of one of these families."));
        return new Reading(family, config, source).model();
    }

    /** One checkpoint read as one family: the sizes, the names resolved under its prefix, the checks. */
    private static final class Reading {
        private final ArchitectureFamily family;
        private final ModelConfig config;
        private final AttentionSizes s;
        private final CheckpointTensors t;

        Reading(ArchitectureFamily family, ModelConfig config, TensorSource source) {
            this.family = family;
            this.config = config;
            this.s = AttentionSizes.read(config, family);
            refuseUnsupported();
            this.t = CheckpointTensors.detect(source, config, config.architecture(), family.embedding(),
                    family.prefixes().toArray(String[]::new));
        }

        TransformerModel model() {
            String embedding = t.name(family.embedding());
            t.require(embedding, s.vocab(), s.dModel());
            String finalNorm = norm(family.finalNorm(), "");
            if (finalNorm != null) {
                t.require(finalNorm, s.dModel());
            }
            for (int l = 0; l < s.layers().intValue(); l++) {
                checkLayer(l);
            }
            t.requireNoExtraLayer(layerMarker(s.layers().intValue()), s.layers());
            String unembedding = unembedding();
            double[] finalGain = finalNorm == null ? ones(s.dModel().intValue()) : family.gain().of(t.read(finalNorm));
            return new CheckpointModel(config, s, t, embedding, unembedding, finalGain, conventions(embedding), this::readLayer);
        }

        private void refuseUnsupported() {
            for (Unsupported u : family.unsupported()) {
                if (config.has(u.key()) && config.positiveInt(u.key()) != s.dModel().value()) {
                    throw new ModelInputException(config.file() + " sets \"" + u.key() + "\": " + config.positiveInt(u.key())
                            + ", unlike " + s.dModel().expression() + "=" + s.dModel().value() + ": a " + family.name()
                            + " checkpoint whose " + u.why() + " is not supported. " + family.name() + " checkpoints with \""
                            + u.key() + "\" equal to " + s.dModel().expression() + " (or absent) are.");
                }
            }
        }

        private String in(int layer, String local) {
            return t.name(String.format(Locale.ROOT, family.layer(), layer) + local);
        }

        /** The stored name of a norm (per layer when layerPrefix is a layer's), or null when this config has none. */
        private String norm(Norm norm, String layerPrefix) {
            if (norm == null || !norm.on(config)) {
                return null;
            }
            for (String n : norm.names()) {
                if (t.has(t.name(layerPrefix + n))) {
                    return t.name(layerPrefix + n);
                }
            }
            throw t.missing(norm.names().stream().map(n -> t.name(layerPrefix + n)).collect(Collectors.joining("' or '")));
        }

        private String layerNorm(Norm norm, int layer) {
            return norm(norm, String.format(Locale.ROOT, family.layer(), layer));
        }

        /** A tensor every layer has, to find a layer the config does not count. */
        private String layerMarker(int layer) {
            Norm n = family.attentionNorm();
            if (n != null && n.on(config)) {
                return in(layer, n.names().get(0));
            }
            return in(layer, family.projections().output());
        }

        private void checkLayer(int l) {
            String attentionNorm = layerNorm(family.attentionNorm(), l);
            if (attentionNorm != null) {
                t.require(attentionNorm, s.dModel());
            }
            if (family.projections() instanceof Separate p) {
                t.require(in(l, p.query()), s.queryWidth(), s.dModel());
                t.require(in(l, p.key()), s.kvWidth(), s.dModel());
                t.require(in(l, p.value()), s.kvWidth(), s.dModel());
            } else {
                Fused f = (Fused) family.projections();
                requireStored(in(l, f.qkv()), f.storage(), s.fusedWidth());
            }
            requireStored(in(l, family.projections().output()), family.projections().outputStorage(), s.queryWidth(), s.dModel());
            QkNorm qk = family.qkNorm();
            if (qk != null && qk.on(config)) {
                requireQkNorm(l, qk.query(), qk, s.heads());
                requireQkNorm(l, qk.key(), qk, s.kvHeads());
            }
            String outputNorm = layerNorm(family.outputNorm(), l);
            if (outputNorm != null) {
                t.require(outputNorm, s.dModel());
            }
        }

        /** A Linear stored [out, in] = [width, d], a Conv1D [in, out] = [d, width]. */
        private void requireStored(String name, Storage storage, ConfigDim width) {
            requireStored(name, storage, s.dModel(), width);
        }

        /** A projection from {@code in} to {@code out} features, as stored. */
        private void requireStored(String name, Storage storage, ConfigDim in, ConfigDim out) {
            if (storage == Storage.CONV1D) {
                t.require(name, in, out);
            } else {
                t.require(name, out, in);
            }
        }

        private void requireQkNorm(int l, String name, QkNorm qk, ConfigDim heads) {
            switch (qk.shape()) {
                case SHARED -> t.require(in(l, name), s.dHead());
                case PER_HEAD -> t.require(in(l, name), heads, s.dHead());
                case WHOLE -> t.require(in(l, name), heads.times(s.dHead()));
                case MODULE_PER_HEAD -> {
                    for (int h = 0; h < heads.intValue(); h++) {
                        t.require(in(l, String.format(Locale.ROOT, name, h)), s.dHead());
                    }
                }
            }
        }

        /**
         * As Hugging Face ties: tie_word_embeddings, or the config class's default where config.json leaves
         * it out (transformers 4 does for GPT-2 and the other classes tied by default), true means W_U is the
         * embedding, whatever else is stored (torch.save of a tied model stores it again as lm_head.weight);
         * false means W_U is stored under one of the family's names. Only a config that leaves the key out of a
         * family untied by default and stores no unembedding is read as tied: Hugging Face would leave lm_head
         * random, and the embedding is the one reading the files allow.
         */
        private String unembedding() {
            if (config.bool("tie_word_embeddings", family.tiedByDefault())) {
                return null;
            }
            String stored = family.unembedding().stream().filter(t::has).findFirst().orElse(null);
            if (stored != null) {
                t.require(stored, s.vocab(), s.dModel());
                return stored;
            }
            if (config.has("tie_word_embeddings")) {
                String names = family.unembedding().stream().map(n -> "'" + n + "'").collect(Collectors.joining(" or "));
                throw new ModelInputException(config.file() + " sets \"tie_word_embeddings\": false, so the unembedding must"
                        + " be stored as tensor " + names + " [" + s.vocab().expression() + ", " + s.dModel().expression()
                        + "], but " + t.source().directory() + " has no such tensor. Add the missing weight file, or set "
                        + "\"tie_word_embeddings\": true if the model reuses its embedding.");
            }
            return null;
        }

        private PathConventions conventions(String embedding) {
            ArchitectureFamily.Conventions c = family.conventions();
            double scale = c.embeddingScaleSqrtD() ? Math.sqrt(s.dModel().value()) : 1.0;
            double logit = c.logitScale() == null ? 1.0 : config.number(c.logitScale().key(), c.logitScale().whenAbsent());
            LayerNormedRows normalised = null;
            if (c.embeddingNorm() != null) {
                String w = t.name(c.embeddingNorm().weight());
                String b = t.name(c.embeddingNorm().bias());
                t.require(w, s.dModel());
                t.require(b, s.dModel());
                double eps = config.number(c.embeddingNorm().epsilonKey(), c.embeddingNorm().epsilonDefault());
                normalised = new LayerNormedRows(t.source().rowMatrix(embedding), family.gain().of(t.read(w)), t.read(b), eps);
            }
            return new PathConventions(scale, normalised, logit);
        }

        LayerWeights readLayer(int l) {
            int d = s.dModel().intValue();
            int heads = s.heads().intValue();
            int kv = s.kvHeads().intValue();
            int dh = s.dHead().intValue();
            DMatrixRMaj[] qkv;
            if (family.projections() instanceof Separate p) {
                qkv = new DMatrixRMaj[] {
                        RowVectorLayout.fromLinear(t.read(in(l, p.query())), heads * dh, d),
                        RowVectorLayout.fromLinear(t.read(in(l, p.key())), kv * dh, d),
                        RowVectorLayout.fromLinear(t.read(in(l, p.value())), kv * dh, d)};
            } else {
                Fused f = (Fused) family.projections();
                qkv = RowVectorLayout.splitFused(t.read(in(l, f.qkv())), f.storage() == Storage.CONV1D, f.layout(),
                        d, heads, kv, dh);
            }
            double[] o = t.read(in(l, family.projections().output()));
            DMatrixRMaj wO = family.projections().outputStorage() == Storage.CONV1D
                    ? RowVectorLayout.fromConv1D(o, heads * dh, d) : RowVectorLayout.fromLinear(o, d, heads * dh);
            String attentionNorm = layerNorm(family.attentionNorm(), l);
            String outputNorm = layerNorm(family.outputNorm(), l);
            QkNorm qk = family.qkNorm();
            boolean qkOn = qk != null && qk.on(config);
            return new LayerWeights(l, heads, kv, dh,
                    attentionNorm == null ? null : family.gain().of(t.read(attentionNorm)),
                    qkv[0], qkv[1], qkv[2], wO,
                    qkOn ? qkGain(l, qk.query(), qk, heads) : null,
                    qkOn ? qkGain(l, qk.key(), qk, kv) : null,
                    outputNorm == null ? null : family.gain().of(t.read(outputNorm)));
        }

        /** A query or key norm's gain for all heads side by side (length heads*dh), whatever its stored form. */
        private double[] qkGain(int l, String name, QkNorm qk, int heads) {
            int dh = s.dHead().intValue();
            double[] out = new double[heads * dh];
            switch (qk.shape()) {
                case SHARED -> {
                    double[] g = t.read(in(l, name));
                    for (int h = 0; h < heads; h++) {
                        System.arraycopy(g, 0, out, h * dh, dh);
                    }
                }
                case PER_HEAD, WHOLE -> out = t.read(in(l, name));
                case MODULE_PER_HEAD -> {
                    for (int h = 0; h < heads; h++) {
                        System.arraycopy(t.read(in(l, String.format(Locale.ROOT, name, h))), 0, out, h * dh, dh);
                    }
                }
            }
            return family.gain().of(out);
        }

        private static double[] ones(int n) {
            double[] g = new double[n];
            Arrays.fill(g, 1.0);
            return g;
        }
    }
}
