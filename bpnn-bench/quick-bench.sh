#!/usr/bin/env bash
# The quick benchmark suite: a few minutes, JMH JSON + a markdown table.
# usage: ./bpnn bench [--out DIR] [--threads 1,2] [--scalar] (which runs this script)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
java_cmd="${JAVA:-java}"
if [ -n "${JAVA_HOME:-}" ] && [ -z "${JAVA:-}" ]; then java_cmd="$JAVA_HOME/bin/java"; fi
if [ ! -f "$jar" ]; then
  echo "bpnn bench: building the benchmarks jar (mvn -q package -DskipTests) ..." >&2
  (cd "$here/.." && mvn -q -B package -DskipTests -pl bpnn-bench -am) >&2
fi
exec "$java_cmd" --add-modules jdk.incubator.vector -cp "$jar" org.bpnn.bench.QuickSuite "$@"
