#!/usr/bin/env bash
# Fuzzes sansnet's Jazzer targets for real (plain `mvn verify` only replays their inputs).
#
#   fuzz/run.sh                   every target in turn, 600 s each
#   fuzz/run.sh ipv4 60           one target (a method name, or Class#method), 60 s
#   fuzz/run.sh WireFuzzTest 30   every target of one class, 30 s each
#   fuzz/run.sh --list            the targets
#
# Builds the fuzz module and what it tests once (Maven, into target${SANSNET_BUILD_SUFFIX}/), then runs Jazzer's
# driver on each target's @FuzzTest method with coverage instrumentation of io.sansnet.**. Each target starts from its
# committed inputs (fuzz/src/test/resources/io/sansnet/fuzz/<Class>Inputs/<method>/) and from the corpus earlier runs
# grew in fuzz/.cifuzz-corpus/<Class>/<method>/ (not committed). A crashing input is written into the Inputs folder as
# crash-<sha1>: commit it together with the fix, and `mvn verify` replays it from then on.
#
# Prints, per target, the total executions and executions per second parsed from libFuzzer's output, and at the end
# a Markdown table of them. Exit status 1 when a target found something.
#
# Environment: SANSNET_BUILD_SUFFIX (default empty: target/), MVN_ARGS (extra Maven arguments, e.g. -o),
# JAVA_OPTS (default -Xmx768m), SKIP_BUILD=1 (reuse the last build's classpath).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGETS=(
  WireFuzzTest#ipv4
  WireFuzzTest#ipv6
  WireFuzzTest#icmpv4
  WireFuzzTest#icmpv6
  WireFuzzTest#udp
  WireFuzzTest#tcp
  ReassemblyFuzzTest#ipv4Reassembly
  ReassemblyFuzzTest#ipv6Reassembly
  CaptureFuzzTest#pcap
  CaptureFuzzTest#pcapng
  HttpFuzzTest#request
  HttpFuzzTest#response
  HttpFuzzTest#chunked
  TcpFuzzTest#stateful
)

if [[ "${1:-}" == "--list" || "${1:-}" == "-l" ]]; then
  printf '%s\n' "${TARGETS[@]}"
  exit 0
fi
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

WANT="${1:-all}"
SECONDS_PER_TARGET="${2:-600}"
if ! [[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || (( SECONDS_PER_TARGET < 1 )); then
  echo "run.sh: SECONDS must be a positive integer, not '$SECONDS_PER_TARGET'" >&2
  exit 2
fi

SELECTED=()
for t in "${TARGETS[@]}"; do
  cls="${t%%#*}"
  method="${t##*#}"
  if [[ "$WANT" == all || "$WANT" == "$t" || "$WANT" == "$cls" || "$WANT" == "$method" ]]; then
    SELECTED+=("$t")
  fi
done
if (( ${#SELECTED[@]} == 0 )); then
  echo "run.sh: no target '$WANT'; the targets are:" >&2
  printf '  %s\n' "${TARGETS[@]}" >&2
  exit 2
fi

SUFFIX="${SANSNET_BUILD_SUFFIX:-}"
OUT="$ROOT/fuzz/target$SUFFIX"
LOGS="$OUT/fuzz-logs"
mkdir -p "$LOGS"
CP_FILE="$OUT/fuzz-classpath.txt"

if [[ "${SKIP_BUILD:-}" != 1 || ! -s "$CP_FILE" ]]; then
  echo "run.sh: building fuzz and the modules it tests (target$SUFFIX/) ..."
  # -Dmaven.test.skip=true keeps the other modules from compiling their tests; fuzz/pom.xml still compiles its own.
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -Dsansnet.buildSuffix="$SUFFIX" -pl fuzz -am \
    test-compile dependency:build-classpath \
    -Dmaven.test.skip=true -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
fi
CLASSPATH_ARG="$OUT/test-classes:$(cat "$CP_FILE")"

# "Done 1234 runs in 61 second(s)" and the last "exec/s: N" of a libFuzzer log.
runs_of() { sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$1" | tail -1; }
last_rate() { grep -o 'exec/s: [0-9]*' "$1" | tail -1 | awk '{print $2}'; }
finding_of() { sed -n "s/.*Test unit written to \(.*\)$/\1/p" "$1" | tail -1; }

SUMMARY=()
FOUND=0
for t in "${SELECTED[@]}"; do
  cls="${t%%#*}"
  method="${t##*#}"
  inputs="$ROOT/fuzz/src/test/resources/io/sansnet/fuzz/${cls}Inputs/$method"
  corpus="$ROOT/fuzz/.cifuzz-corpus/$cls/$method"
  log="$LOGS/$cls.$method.log"
  mkdir -p "$inputs" "$corpus"
  echo "run.sh: fuzzing $t for ${SECONDS_PER_TARGET}s (log: ${log#"$ROOT"/})"
  start=$(date +%s)
  set +e
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:--Xmx768m} -cp "$CLASSPATH_ARG" com.code_intelligence.jazzer.Jazzer \
    --target_class="io.sansnet.fuzz.$cls" --target_method="$method" \
    --instrumentation_includes='io.sansnet.**' \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=3072 \
    -artifact_prefix="$inputs/" -print_final_stats=1 \
    "$corpus" "$inputs" > "$log" 2>&1
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  read -r runs secs <<< "$(runs_of "$log")"
  finding="$(finding_of "$log")"
  if [[ -z "${runs:-}" ]]; then
    # libFuzzer prints no "Done" line when it stops on a finding: take the last status line.
    runs="$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')"
    secs="$elapsed"
  fi
  runs="${runs:-0}"
  if [[ -n "${secs:-}" && "$secs" -gt 0 ]]; then rate=$(( runs / secs )); else rate="$(last_rate "$log")"; fi
  rate="${rate:-0}"
  if [[ -n "$finding" ]]; then
    result="FINDING: ${finding#"$ROOT"/}"
    FOUND=1
  elif (( rc != 0 )); then
    result="jazzer exited with $rc (see the log)"
    FOUND=1
  else
    result="nothing found"
  fi
  corpus_size=$(find "$corpus" -type f | wc -l)
  echo "run.sh: $t: $runs executions in ${secs}s = $rate exec/s; corpus $corpus_size inputs; $result"
  SUMMARY+=("| \`$t\` | ${secs}s | $runs | $rate | $corpus_size | $result |")
done

echo
echo "| target | duration | total execs | execs/s | corpus | result |"
echo "| --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${SUMMARY[@]}"
exit "$FOUND"
