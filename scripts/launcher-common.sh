# Sourced, not run, by ./bpnn and bpnn-bench/quick-bench.sh: the rules both launchers must read the
# same way. They were two copies and drifted (BPNN_NO_BUILD=0 rebuilt for ./bpnn and never for bench;
# bench ignored BPNN_JAVA_OPTS). The caller sets prog (its name in messages, e.g. "bpnn bench") and
# jar first. Only builtins, tr and cat: quick-bench's test runs it on a PATH of dirname, readlink, tr,
# find and cat.
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
# its output on stderr. A missing mvn or a failed build ends with one line saying what to do (it was
# "mvn: command not found", or mvn's errors and a bare non-zero exit). NEEDS and BUILDING word the
# messages: "the jars need" / "building" gives "... the jars need building and Maven (mvn) is not on
# the PATH ..." and "building (mvn -q package -DskipTests) ...".
launcher_build() {
  local needs="$1" building="$2" dir="$3" last="" shown
  shift 3
  shown="mvn -q package -DskipTests${*:+ $*}"
  [ -f "$jar" ] && last=", or set BPNN_NO_BUILD=1 to run the last built jar"
  command -v mvn >/dev/null 2>&1 \
    || { echo "$prog: $needs building and Maven (mvn) is not on the PATH; install Maven$last" >&2; exit 1; }
  echo "$prog: $building ($shown) ..." >&2
  (cd "$dir" && mvn -q -B package -DskipTests "$@") >&2 \
    || { echo "$prog: the build failed ($shown in $dir; its errors are above); fix them$last" >&2; exit 1; }
}

# The JVM prints this line on standard error for every run that resolves jdk.incubator.vector, and
# no flag or property silences it (JDK 17 to 25: ModuleBootstrap prints it with System.err.println,
# before main, whenever a resolved module is marked incubating). It says nothing a user can act on, so
# both launchers run java with its standard error through drop_incubator_notice
# (exec "$java_cmd" ... 2> >(drop_incubator_notice)); the JMH forks' copies are quick-bench.sh's.
launcher_incubator_notice="WARNING: Using incubator modules: jdk.incubator.vector"
# The filter drops that one line, exactly as the JVM writes it, and passes everything else on: the
# lines before it (the java launcher's "Picked up JDK_JAVA_OPTIONS", VM warnings, a JVM that fails
# before printing it) one line at a time, then, from the notice on, every byte as it arrives (cat),
# partial lines included. bash's read takes a pipe one byte at a time, so nothing past the notice is
# read ahead.
# Why a process substitution under exec, and not a pipe: java stays the launcher's own process, so
# its exit code is the launcher's with no bookkeeping, and a signal sent to the launcher's pid
# (kill, timeout, a supervisor, Process.destroy) reaches java, not a shell that would die and leave
# java running. The filter ignores INT, QUIT, TERM and HUP, and ends when java's standard error
# closes: Ctrl-C reaches the whole process group, and what java writes while it stops must still get
# through; Ctrl-\ makes java print a thread dump and go on, with its standard error still to pass.
# It holds the caller's standard output open until it ends, so a caller reading standard output to
# its end ($(...), a pipe, ProcessBuilder) has every standard error line first.
# The trade-off: nothing waits for the filter after java exits, so with standard output on a
# terminal or a file, a line java writes as it exits can appear just after the shell prompt or land
# in a redirect file a moment after the launcher returned.
drop_incubator_notice() {
  trap '' INT QUIT TERM HUP
  local line
  while IFS= read -r line; do
    if [ "$line" = "$launcher_incubator_notice" ]; then
      # 3>&1 first: cat keeps the caller's standard output (see above) while it writes to >&2
      exec cat 3>&1 >&2
    fi
    printf '%s\n' "$line" >&2
  done
  # a last line without a newline (the stream ended inside it)
  if [ -n "$line" ]; then printf '%s' "$line" >&2; fi
}
