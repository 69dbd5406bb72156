#!/usr/bin/env bash
# Runs sansnet's benchmarks with one command (results and their commands: docs/performance.md).
#
#   bench/run.sh sim  [JMH options]   simulator: udp-echo seeds/s and simulated events/s (JMH), ~70 s
#   bench/run.sh sim-cpu [--warmup 5] [--seconds 10] [--faults NONE,FAULTS,DRAWN]
#                                     the same without JMH, also per CPU second (for a loaded machine), ~50 s
#   bench/run.sh sim-bulk [JMH options]  simulator: bulk TCP, simulated bytes per wall second (JMH), ~40 s
#   bench/run.sh http [options]       HTTP: wrk against sansnet (socket driver), Netty and the JDK server, ~2-4 min
#                                     options: --duration 10s --connections 64 --wrk-threads 2 --threads 2
#                                              --depth 16 --warmup 3s --peers sansnet,netty,jdk (also netty-epoll)
#   bench/run.sh tun [--bytes 256M] [--runs 3]
#                                     TCP through TUN against the kernel vs kernel TCP over a veth pair (Gbit/s,
#                                     ratios); root, ip, ss, socat; namespaces sbt<pid>a/b/c, deleted at the end, ~30 s
#
# Builds the bench module first (mvn package, tests skipped). Environment:
#   SANSNET_BUILD_SUFFIX   build into target<suffix>/ (e.g. -h12 when several builds share the tree)
#   SANSNET_MVN_ARGS       extra Maven arguments (e.g. -o)
#   SANSNET_BENCH_NO_BUILD=1  use the last build as it is
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
suffix=${SANSNET_BUILD_SUFFIX:-}
target="$root/bench/target$suffix"

usage() {
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
}

what=${1:-}
if [ $# -gt 0 ]; then shift; fi
case "$what" in
    sim | sim-cpu | sim-bulk | http | tun) ;;
    *) usage; exit 2 ;;
esac

if [ "${SANSNET_BENCH_NO_BUILD:-0}" != 1 ]; then
    # shellcheck disable=SC2086
    (cd "$root" && mvn -B -q ${SANSNET_MVN_ARGS:-} -Dsansnet.buildSuffix="$suffix" -Dsansnet.skipFormat=true \
        -DskipTests -pl bench -am package)
fi
if [ ! -f "$target/bench.classpath" ]; then
    echo "bench/run.sh: $target/bench.classpath is missing: build first (mvn -pl bench -am package)" >&2
    exit 3
fi
cp="$target/classes:$(cat "$target/bench.classpath")"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

case "$what" in
    sim)
        # One fork, 2 x 3 s warm-up, 3 x 5 s measured, per fault setting (NONE, FAULTS, DRAWN).
        exec "$java" -cp "$cp" org.openjdk.jmh.Main 'io.sansnet.bench.sim.UdpEchoBenchmark' \
            -f 1 -wi 2 -w 3s -i 3 -r 5s -foe true "$@"
        ;;
    sim-bulk)
        exec "$java" -cp "$cp" org.openjdk.jmh.Main 'io.sansnet.bench.sim.BulkBenchmark' \
            -f 1 -wi 2 -w 3s -i 3 -r 5s -foe true "$@"
        ;;
    sim-cpu)
        exec "$java" -cp "$cp" io.sansnet.bench.sim.SimSpeed "$@"
        ;;
    http)
        if ! command -v wrk >/dev/null; then
            echo "bench/run.sh: wrk is not installed (Debian: apt-get install wrk)" >&2
            exit 3
        fi
        exec "$java" -cp "$cp" io.sansnet.bench.http.HttpBench "$@"
        ;;
    tun)
        for tool in ip ss socat; do
            if ! command -v "$tool" >/dev/null; then
                echo "bench/run.sh: $tool is not installed (Debian: apt-get install iproute2 socat)" >&2
                exit 3
            fi
        done
        exec "$java" -Xms512m -Xmx512m -cp "$cp" io.sansnet.bench.tun.TunBench "$@"
        ;;
esac
