package io.github.spectralcircuits.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The local Hugging Face hub cache, read offline as huggingface_hub lays it out:
 * {@code <cache>/models--org--name/refs/<branch>} holds a commit hash, {@code snapshots/<hash>/} the files
 * of that revision as symbolic links into {@code ../../blobs/}. A model named by its hub id
 * {@code org/name[@revision]} is found there and nothing is ever downloaded. Every file of a snapshot must
 * resolve inside its {@code models--org--name} folder: a link that leaves it (the hostile link) is refused.
 *
 * <p>Hand-written because no Java library reads this layout; the rules are huggingface_hub's
 * (constants.py and file_download.py): the cache is HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else
 * HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
 */
public final class HubCache {
    private static final Pattern HUB_ID = Pattern.compile(
            "((?:[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*)(?:@([A-Za-z0-9][A-Za-z0-9._/-]*))?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    static final String DEFAULT_REVISION = "main";

    private HubCache() {
    }

    /** The environment the cache is found through: variables and the home directory (a parameter so tests can set both). */
    public record Environment(Map<String, String> variables, Path userHome) {
        public Environment {
            variables = Map.copyOf(variables);
        }

        public static Environment system() {
            return new Environment(System.getenv(), Path.of(System.getProperty("user.home")));
        }

        String get(String name) {
            String v = variables.get(name);
            return v == null || v.isBlank() ? null : v;
        }
    }

    /** The cache folder and which setting chose it (for messages). */
    public record Root(Path folder, String chosenBy) {
    }

    /** A model's hub id, {@code org/name} (or a legacy {@code name}) and a revision (branch, tag or commit). */
    public record HubId(String repository, String revision, boolean explicitRevision) {
        /** {@code models--org--name}, the repository's folder in the cache. */
        public String folderName() {
            return "models--" + repository.replace("/", "--");
        }

        @Override
        public String toString() {
            return explicitRevision ? repository + "@" + revision : repository;
        }
    }

    public static Root root(Environment env) {
        if (env.get("HF_HUB_CACHE") != null) {
            return new Root(expand(env.get("HF_HUB_CACHE"), env), "HF_HUB_CACHE");
        }
        if (env.get("HUGGINGFACE_HUB_CACHE") != null) {
            return new Root(expand(env.get("HUGGINGFACE_HUB_CACHE"), env), "HUGGINGFACE_HUB_CACHE");
        }
        if (env.get("HF_HOME") != null) {
            return new Root(expand(env.get("HF_HOME"), env).resolve("hub"), "HF_HOME/hub");
        }
        if (env.get("XDG_CACHE_HOME") != null) {
            return new Root(expand(env.get("XDG_CACHE_HOME"), env).resolve("huggingface").resolve("hub"),
                    "XDG_CACHE_HOME/huggingface/hub");
        }
        return new Root(env.userHome().resolve(".cache").resolve("huggingface").resolve("hub"),
                "the default ~/.cache/huggingface/hub");
    }

    private static Path expand(String path, Environment env) {
        if (path.equals("~") || path.startsWith("~/")) {
            return env.userHome().resolve(path.length() <= 2 ? "" : path.substring(2)).toAbsolutePath().normalize();
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** {@code org/name}, {@code org/name@rev} or {@code name@rev} as a hub id; empty for anything else. */
    public static Optional<HubId> parse(String spec) {
        Matcher m = HUB_ID.matcher(spec);
        if (!m.matches()) {
            return Optional.empty();
        }
        String revision = m.group(2);
        for (String part : (m.group(1) + "/" + (revision == null ? "" : revision)).split("/")) {
            if (part.equals("..") || part.equals(".")) {
                return Optional.empty();
            }
        }
        return Optional.of(new HubId(m.group(1), revision == null ? DEFAULT_REVISION : revision, revision != null));
    }

    /**
     * What a user names as the model: an existing path (relative to {@code base}) is that directory, else
     * a hub id is looked up in the cache, else the path is given back for the loader to report as missing.
     * A bare {@code name} counts as a hub id only when the cache has it: it is more often a mistyped folder.
     */
    public static Path locate(String spec, Path base, Environment env) {
        Path asPath = base.resolve(spec).toAbsolutePath().normalize();
        if (spec.isEmpty() || Files.exists(asPath)) {
            return asPath;
        }
        Optional<HubId> id = parse(spec);
        if (id.isEmpty()) {
            return asPath;
        }
        Root root = root(env);
        boolean qualified = id.get().repository().contains("/") || id.get().explicitRevision();
        if (!qualified && !Files.isDirectory(root.folder().resolve(id.get().folderName()))) {
            return asPath;
        }
        return snapshot(id.get(), root, asPath);
    }

    /** The snapshot folder of a hub id's revision in the cache, offline; one paragraph when it is not there. */
    public static Path snapshot(HubId id, Environment env) {
        return snapshot(id, root(env), null);
    }

    private static Path snapshot(HubId id, Root root, Path notADirectory) {
        Path repo = root.folder().resolve(id.folderName());
        String noDirectory = notADirectory == null ? "" : " (there is no directory " + notADirectory + " either)";
        if (!Files.isDirectory(repo)) {
            throw new ModelInputException("The model " + id + " is not in the Hugging Face cache: looked for "
                    + repo + " in the cache folder " + root.folder() + ", chosen by " + root.chosenBy() + noDirectory
                    + ". Nothing is downloaded here: download it first, for example with `hf download "
                    + id.repository() + (id.explicitRevision() ? " --revision " + id.revision() : "")
                    + "` (or `huggingface-cli download ...` with older huggingface_hub), with the same HF_HUB_CACHE or "
                    + "HF_HOME, or point the model path at a model directory.");
        }
        String commit = id.revision();
        Path ref = repo.resolve("refs").resolve(id.revision());
        if (!COMMIT.matcher(commit).matches() || !Files.isDirectory(repo.resolve("snapshots").resolve(commit))) {
            if (!Files.isRegularFile(ref)) {
                throw new ModelInputException("The Hugging Face cache folder " + repo + " has no revision \""
                        + id.revision() + "\": there is no " + ref + " and no snapshots/" + id.revision()
                        + ". It has " + listing(repo.resolve("refs"), "refs") + " and " + listing(repo.resolve("snapshots"),
                        "snapshots") + ". Name one of them as " + id.repository() + "@REVISION, or download the "
                        + "revision first, for example with `hf download " + id.repository() + " --revision "
                        + id.revision() + "`.");
            }
            commit = readRef(ref);
        }
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        if (!Files.isDirectory(snapshot)) {
            throw new ModelInputException(ref + " names the commit " + commit + ", but " + snapshot + " does not exist, "
                    + "so the download of " + id + " is incomplete. Download it again, for example with `hf download "
                    + id.repository() + (id.explicitRevision() ? " --revision " + id.revision() : "") + "`.");
        }
        checkInside(snapshot, repo);
        return snapshot;
    }

    private static String readRef(Path ref) {
        try {
            if (Files.size(ref) > 1000) {
                throw new ModelInputException(ref + " is " + Files.size(ref) + " bytes, not a commit hash; the cache is "
                        + "damaged. Delete the repository's cache folder and download the model again.");
            }
            String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
            if (!COMMIT.matcher(commit).matches()) {
                throw new ModelInputException(ref + " should hold a 40-digit commit hash but holds \""
                        + (commit.length() > 60 ? commit.substring(0, 60) + "..." : commit) + "\"; the cache is damaged. "
                        + "Delete the repository's cache folder and download the model again.");
            }
            return commit;
        } catch (IOException e) {
            throw new ModelInputException("Cannot read " + ref + ": " + e.getMessage() + ". Check that it is readable.", e);
        }
    }

    private static String listing(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            return "no " + what;
        }
        try (Stream<Path> s = Files.walk(dir, what.equals("refs") ? 3 : 1)) {
            List<String> names = s.filter(p -> !p.equals(dir) && (what.equals("refs") ? Files.isRegularFile(p) : true))
                    .map(p -> dir.relativize(p).toString()).sorted().limit(8).collect(Collectors.toList());
            return names.isEmpty() ? "no " + what : what + " " + String.join(", ", names);
        } catch (IOException e) {
            return "unreadable " + what;
        }
    }

    /**
     * The {@code models--org--name} folder of a directory inside a cache snapshot
     * ({@code .../models--org--name/snapshots/<rev>[/sub]}), or empty for any other directory.
     */
    public static Optional<Path> repositoryOf(Path directory) {
        Path d = directory.toAbsolutePath().normalize();
        for (Path p = d; p != null && p.getParent() != null; p = p.getParent()) {
            Path parent = p.getParent();
            if (parent.getFileName() != null && parent.getFileName().toString().equals("snapshots")
                    && parent.getParent() != null && parent.getParent().getFileName() != null
                    && parent.getParent().getFileName().toString().startsWith("models--")) {
                return Optional.of(parent.getParent());
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses a file (or folder) of a cache snapshot whose real path, links followed, is outside its
     * repository folder; anything outside a cache passes unchecked. Checked before the file is opened.
     */
    public static void checkConfined(Path file, Path modelDirectory) {
        Optional<Path> repo = repositoryOf(modelDirectory);
        if (repo.isPresent() && Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            checkInside(file, repo.get());
        }
    }

    private static void checkInside(Path file, Path repo) {
        Path real;
        Path realRepo;
        try {
            realRepo = repo.toRealPath();
            real = file.toRealPath();
        } catch (IOException e) {
            throw new ModelInputException(file + " in the Hugging Face cache folder " + repo + " cannot be resolved ("
                    + e.getMessage() + "): a link into ../../blobs points at nothing, so the download is incomplete. "
                    + "Download the model again.", e);
        }
        if (!real.startsWith(realRepo)) {
            throw new ModelInputException(file + " is a symbolic link to " + real + ", outside its Hugging Face cache "
                    + "folder " + realRepo + ", where every file of a snapshot must stay (snapshots link into ../../blobs). "
                    + "A link that leaves the cache folder is refused: it is damaged or hostile. Delete the cache folder "
                    + "and download the model again.");
        }
    }
}
