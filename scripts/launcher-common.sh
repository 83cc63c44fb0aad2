# Sourced, not run, by ./bpnn and bpnn-bench/quick-bench.sh: the rules both launchers must read the
# same way. They were two copies and drifted (BPNN_NO_BUILD=0 rebuilt for ./bpnn and never for bench;
# bench ignored BPNN_JAVA_OPTS). The caller sets prog (its name in messages, e.g. "bpnn bench") and
# jar first. Only builtins and tr: quick-bench's test runs it on a PATH of dirname, readlink, tr, find.
# Finding the repository through symlinks stays in each launcher: it is how they find this file.

# Sets java_cmd and java_opts, or ends with one line saying what to do (it was bash's
# "java: command not found").
# BPNN_JAVA_OPTS is split at spaces, tabs and newlines, and nothing else: no quotes, no globbing (it
# was expanded unquoted, so -Dx=* became the names of matching files). An option with a space in it
# goes in JDK_JAVA_OPTIONS, which the JVM reads with quotes; a quote here is refused, as the JVM would
# otherwise get half an option ('-Dx="a' and 'b"') and report a missing main class.
launcher_java() {
  java_cmd="${JAVA:-java}"
  if [ -n "${JAVA_HOME:-}" ] && [ -z "${JAVA:-}" ]; then java_cmd="$JAVA_HOME/bin/java"; fi
  case "${BPNN_JAVA_OPTS:-}" in *[\"\']*)
    echo "$prog: BPNN_JAVA_OPTS is split at spaces and takes no quotes; put an option containing a space in JDK_JAVA_OPTIONS (the JVM reads its quotes)" >&2
    exit 2 ;;
  esac
  java_opts=()
  read -r -d '' -a java_opts <<< "${BPNN_JAVA_OPTS:-}" || true
  command -v "$java_cmd" >/dev/null 2>&1 \
    || { echo "$prog: no java found ('$java_cmd'); install a JDK 17 or later, or point JAVA_HOME or JAVA at one" >&2; exit 1; }
}

# Sets no_build: on when BPNN_NO_BUILD is set to anything but empty, 0 or false in any case
# (BPNN_DEBUG reads the same in Main, with equalsIgnoreCase: a pattern of three spellings left
# BPNN_NO_BUILD=fAlse on). tr, not ${var,,}: macOS's bash 3.2 has no case conversion.
launcher_no_build() {
  no_build=1
  case "$(printf '%s' "${BPNN_NO_BUILD:-}" | tr '[:upper:]' '[:lower:]')" in ""|0|false) no_build= ;; esac
}

# launcher_build NEEDS BUILDING DIR [MVN_ARG...]: runs mvn -q -B package -DskipTests MVN_ARG... in DIR,
# its output on stderr, free of terminal codes. A missing mvn or a failed build ends with one line
# saying what to do (it was "mvn: command not found", or mvn's errors and a bare non-zero exit). NEEDS
# and BUILDING word the messages: "the jars need" / "building" gives "... the jars need building and
# Maven (mvn) is not on the PATH ..." and "building (mvn -q package -DskipTests) ...".
launcher_build() {
  local needs="$1" building="$2" dir="$3" last="" shown
  shift 3
  shown="mvn -q package -DskipTests${*:+ $*}"
  [ -f "$jar" ] && last=", or set BPNN_NO_BUILD=1 to run the last built jar"
  command -v mvn >/dev/null 2>&1 \
    || { echo "$prog: $needs building and Maven (mvn) is not on the PATH; install Maven$last" >&2; exit 1; }
  echo "$prog: $building ($shown) ..." >&2
  # -B turns Maven's colours off, yet its console library (Jansi 2; seen with Maven 3.8.7) still writes a
  # colour reset, ESC[0m, to both streams as it exits and ahead of a failure's first [ERROR], with no
  # newline, so it starts the next line printed. jansi.noreset stops it; the library reads it as the JVM
  # starts, so it goes in MAVEN_OPTS (a -D on mvn's command line comes too late for two of the four
  # resets). The user's MAVEN_OPTS are kept, before it.
  (cd "$dir" && MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true" mvn -q -B package -DskipTests "$@") >&2 \
    || { echo "$prog: the build failed ($shown in $dir; its errors are above); fix them$last" >&2; exit 1; }
}
