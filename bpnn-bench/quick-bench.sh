#!/usr/bin/env bash
# The quick benchmark suite: a few minutes, JMH JSON + a markdown table.
# usage: ./bpnn bench [--out DIR] [--threads N,...] [--scalar] (which runs this script); --help prints
# src/main/resources/org/bpnn/bench/quick-bench-usage.txt, the text QuickSuite prints for it too.
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
# --help (or -h) prints the usage before java, mvn or the jar are looked at: on a fresh clone it built
# the benchmarks jar first (minutes, or "Maven (mvn) is not on the PATH") to print a static text. The
# arguments are read as QuickSuite reads them, so that the same command lines print it: a flag's value
# is skipped (--out -h names a directory), and the loop stops at a word QuickSuite refuses (--x --help
# is still refused there).
expect_value=
for a in "$@"; do
  if [ -n "$expect_value" ]; then expect_value=; continue; fi
  case "$a" in
    --out|--threads) expect_value=1 ;;
    --scalar) ;;
    -h|--help)
      # $(<FILE), bash's own, not cat: no tool beyond those launcher-common.sh names (an assignment, so a
      # missing file ends the script under set -e instead of printing an empty line)
      usage="$(<"$here/src/main/resources/org/bpnn/bench/quick-bench-usage.txt")"
      printf '%s\n' "$usage"
      exit 0 ;;
    *) break ;;
  esac
done
jar="$here/target/benchmarks.jar"
root="$(cd "$here/.." && pwd)"
prog="bpnn bench"
# java_cmd, java_opts (BPNN_JAVA_OPTS), no_build (BPNN_NO_BUILD) and the build, read as ./bpnn reads
# them: one copy in launcher-common.sh.
. "$root/scripts/launcher-common.sh"
launcher_java
# Build when the jar is missing, or (unless BPNN_NO_BUILD is on, as for ./bpnn) when a main source or
# a POM of the modules it is built from is newer: building only a missing jar ran, and reported
# figures for, the code of the last build after any edit to core, simd or the benchmarks.
launcher_no_build
build=0
if [ ! -f "$jar" ]; then
  build=1
# From inside the tree, as ./bpnn does: with absolute paths, a repository under a .../src/main/...
# directory matched every file (the script itself too), and rebuilt on every run.
elif [ -z "$no_build" ] && [ -n "$(cd "$root" && find ./pom.xml ./bpnn-core ./bpnn-simd ./bpnn-bench -path '*/target' -prune -o \( -path '*/src/main/*' -o -name 'pom.xml' \) -type f -newer "$jar" -print -quit 2>/dev/null)" ]; then
  build=1
fi
if [ "$build" = 1 ]; then
  launcher_build "the benchmarks jar needs" "building the benchmarks jar" "$root" -pl bpnn-bench -am
fi
# BPNN_JAVA_OPTS as for every ./bpnn run (it was ignored here): JMH's forks inherit the suite JVM's
# options. Not the launcher's -XX:+UseParallelGC: the benchmarks' published figures are under G1.
exec "$java_cmd" --add-modules jdk.incubator.vector ${java_opts[@]+"${java_opts[@]}"} -cp "$jar" org.bpnn.bench.QuickSuite "$@"
