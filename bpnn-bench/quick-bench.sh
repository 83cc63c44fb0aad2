#!/usr/bin/env bash
# The quick benchmark suite: a few minutes, JMH JSON + a markdown table.
# usage: ./bpnn bench [--out DIR] [--threads 1,2] [--scalar] (which runs this script)
set -euo pipefail
unset CDPATH
# bpnn-bench is where the script really is, as for ./bpnn: run through a symlink, the link's own
# directory was taken (no jar there, and mvn started in its parent). readlink without -f: macOS's has none.
src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do
  link="$(readlink "$src")"
  case "$link" in /*) src="$link" ;; *) src="$(dirname "$src")/$link" ;; esac
done
here="$(cd -P "$(dirname "$src")" && pwd)"
jar="$here/target/benchmarks.jar"
java_cmd="${JAVA:-java}"
if [ -n "${JAVA_HOME:-}" ] && [ -z "${JAVA:-}" ]; then java_cmd="$JAVA_HOME/bin/java"; fi
root="$(cd "$here/.." && pwd)"
case "${BPNN_JAVA_OPTS:-}" in *[\"\']*)
  echo "bpnn bench: BPNN_JAVA_OPTS is split at spaces and takes no quotes; put an option containing a space in JDK_JAVA_OPTIONS (the JVM reads its quotes)" >&2
  exit 2 ;;
esac
java_opts=()
read -r -d '' -a java_opts <<< "${BPNN_JAVA_OPTS:-}" || true
# A missing java or mvn, or a failed build, ends with one line saying what to do, as for ./bpnn (it
# was bash's "java: command not found", or mvn's errors and a bare non-zero exit).
command -v "$java_cmd" >/dev/null 2>&1 \
  || { echo "bpnn bench: no java found ('$java_cmd'); install a JDK 17 or later, or point JAVA_HOME or JAVA at one" >&2; exit 1; }
# Build when the jar is missing, or (unless BPNN_NO_BUILD is on, as for ./bpnn) when a main source or
# a POM of the modules it is built from is newer: building only a missing jar ran, and reported
# figures for, the code of the last build after any edit to core, simd or the benchmarks.
# On as ./bpnn reads it: set to anything but empty, 0 or false in any case (BPNN_NO_BUILD=0 never
# rebuilt here while ./bpnn did).
no_build=1
case "$(printf '%s' "${BPNN_NO_BUILD:-}" | tr '[:upper:]' '[:lower:]')" in ""|0|false) no_build= ;; esac
build=0
if [ ! -f "$jar" ]; then
  build=1
# From inside the tree, as ./bpnn does: with absolute paths, a repository under a .../src/main/...
# directory matched every file (the script itself too), and rebuilt on every run.
elif [ -z "$no_build" ] && [ -n "$(cd "$root" && find ./pom.xml ./bpnn-core ./bpnn-simd ./bpnn-bench -path '*/target' -prune -o \( -path '*/src/main/*' -o -name 'pom.xml' \) -type f -newer "$jar" -print -quit 2>/dev/null)" ]; then
  build=1
fi
if [ "$build" = 1 ]; then
  last=""
  [ -f "$jar" ] && last=", or set BPNN_NO_BUILD=1 to run the last built jar"
  command -v mvn >/dev/null 2>&1 \
    || { echo "bpnn bench: the benchmarks jar needs building and Maven (mvn) is not on the PATH; install Maven$last" >&2; exit 1; }
  echo "bpnn bench: building the benchmarks jar (mvn -q package -DskipTests -pl bpnn-bench -am) ..." >&2
  (cd "$root" && mvn -q -B package -DskipTests -pl bpnn-bench -am) >&2 \
    || { echo "bpnn bench: the build failed (mvn -q package -DskipTests -pl bpnn-bench -am in $root; its errors are above); fix them$last" >&2; exit 1; }
fi
# BPNN_JAVA_OPTS as for every ./bpnn run (it was ignored here): JMH's forks inherit the suite JVM's
# options. Not the launcher's -XX:+UseParallelGC: the benchmarks' published figures are under G1.
# Split at spaces, tabs and newlines only, as ./bpnn does: no globbing, and a quote is refused.
exec "$java_cmd" --add-modules jdk.incubator.vector ${java_opts[@]+"${java_opts[@]}"} -cp "$jar" org.bpnn.bench.QuickSuite "$@"
