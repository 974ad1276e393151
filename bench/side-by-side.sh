#!/usr/bin/env bash
# Wall time of the whole `mvn ...:analyze` (trained + control, report, charts) against the numpy peer
# doing the factored spectra of the trained model only, measured alternately in one session, since
# this kind of machine is shared and noisy. Prints each run and the medians' ratio.
#
# usage: bench/side-by-side.sh PEER_DIR [runs] [shape]
#   PEER_DIR  a folder holding numpy_peer.py and its loader (not part of this project)
#   runs      alternating pairs (default 5)
#   shape     tinystories33m (SPEC's reference workload, default), gpt2small or pythia160m; or a 7B-13B
#             shape generated as sparse BF16 shards: llama2-7b (its first 4 layers), llama2-7b:32 (all),
#             mistral-7b, llama2-13b (same suffix)
# env: GOAL=spectra times the trained model only (the 7B target of issue 17), default analyze;
#      SPECTRAL_FORK=false runs the analysis in Maven's JVM; MAVEN_EXTRA adds options for Maven's JVM;
#      BASELINE_VERSION=V also runs plugin version V in each round (an earlier commit installed under
#      another version, e.g. its poms' 0.1.0-SNAPSHOT replaced by 0.0.9-OLD before `mvn install -DskipTests`),
#      to compare two versions and the peer in one loop
#
# Needs: the plugin installed (mvn -B -ntp install -DskipTests), python3 with numpy.
set -euo pipefail
peer=${1:?usage: bench/side-by-side.sh PEER_DIR [runs] [shape]}
runs=${2:-5}
shape=${3:-tinystories33m}
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -n 1)
work="$root/spectral-core/target/bench-models"
goal=${GOAL:-analyze}
case "$shape" in
  llama2-7b*|mistral-7b*|llama2-13b*)
    base=${shape%%:*}; layers=4; [ "$base" != "$shape" ] && layers=${shape#*:}
    model="$work/$base-$layers"
    if [ ! -f "$model/config.json" ]; then
      # generation only: the bench profile's ShapedModels writes the sparse shards (MLP tensors are holes)
      (cd "$root/spectral-core" && mvn -B -q -o -Pbench test-compile exec:exec@generate-workloads \
          -Dbench.shapes="$shape" >/dev/null)
    fi ;;
  *)
    model="$work/$shape"
    if [ ! -f "$model/model.safetensors" ]; then
      mvn -B -q -f "$root/pom.xml" -Pbench -pl spectral-core verify -Dbench.shapes="$shape" -Dbench.repeats=1 >/dev/null
    fi ;;
esac
out=$(mktemp -d)
# The plugin runs the analysis in a forked JVM (SIMD kernel, -Xmx1g: spectral.forkHeap). SPECTRAL_FORK=false
# runs it in Maven's own JVM instead, which then needs the module and SPEC section 9's heap bound itself.
fork=${SPECTRAL_FORK:-true}
# MAVEN_EXTRA adds options for Maven's own JVM, e.g. MAVEN_EXTRA=-XX:TieredStopAtLevel=1 (see README).
if [ "$fork" = true ]; then
  export MAVEN_OPTS="-Xmx1g ${MAVEN_EXTRA:-}"
else
  export MAVEN_OPTS="-Xmx1g --add-modules jdk.incubator.vector ${MAVEN_EXTRA:-}"
fi

now() { date +%s.%N; }
# Run from the (pom-less) output folder: inside a project, Maven would build that project instead.
cd "$out"
mvn_times=(); py_times=(); base_times=()
baseline=${BASELINE_VERSION:-}
for i in $(seq 1 "$runs"); do
  if [ -n "$baseline" ]; then
    b0=$(now)
    mvn -B -q -o "io.github.spectralcircuits:spectral-maven-plugin:$baseline:analyze" \
        -Dspectral.model="$model" -Dspectral.outputDirectory="$out/baseline" -Dspectral.failOnViolation=false \
        -Dspectral.fork="$fork" >/dev/null 2>&1 || echo "baseline version $baseline failed"
    base_times+=("$(awk "BEGIN {print $(now) - $b0}")")
    printf 'run %d: baseline %s analyze %.2f s\n' "$i" "$baseline" "${base_times[-1]}"
  fi
  t0=$(now)
  mvn -B -o "io.github.spectralcircuits:spectral-maven-plugin:$version:$goal" \
      -Dspectral.model="$model" -Dspectral.outputDirectory="$out" -Dspectral.failOnViolation=false \
      -Dspectral.fork="$fork" > "$out/mvn.log" 2>&1 || { grep -E "ERROR" "$out/mvn.log" | head -5; }
  t1=$(now)
  # the peer without this machine's OpenBLAS overrides (its own kernel choice), for this one command only
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$peer/numpy_peer.py" "$model" > "$out/peer.log"
  t2=$(now)
  m=$(awk "BEGIN {print $t1 - $t0}"); p=$(awk "BEGIN {print $t2 - $t1}")
  mvn_times+=("$m"); py_times+=("$p")
  printf 'run %d: mvn %s %.2f s, numpy peer %.2f s (%s)\n' "$i" "$goal" "$m" "$p" "$(tr -d '\n' < "$out/peer.log")"
  grep -E "Forked analysis heap|Kernel:|Memory:" "$out/mvn.log" | sed 's/^\[INFO\] /    /' || true
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mm=$(median "${mvn_times[@]}"); pm=$(median "${py_times[@]}")
printf 'median: mvn %s %.2f s, numpy peer %.2f s, ratio %.2f (shape %s)\n' "$goal" "$mm" "$pm" "$(awk "BEGIN {print $mm / $pm}")" "$shape"
if [ -n "$baseline" ]; then
  bm=$(median "${base_times[@]}")
  printf 'median: baseline %s analyze %.2f s, ratio %.2f\n' "$baseline" "$bm" "$(awk "BEGIN {print $bm / $pm}")"
fi
test -f "$out/spectral-report.json" && echo "report: $out/spectral-report.json"
