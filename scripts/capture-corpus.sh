#!/usr/bin/env bash
# Regenerates the trace corpus of replay-traces (replay-traces/src/test/resources/traces) as root:
#   scripts/capture-corpus.sh OUTDIR
# Two network namespaces, each with a TUN device, joined by `sansnet relay`; only 198.18.0.0/15 addresses.
#   socat-clean.pcap     kernel-to-kernel socat transfer, clean path, recorded by the relay's --pcap (RAW, usec)
#   socat-impaired.pcap  the same through --impair loss=0.05,reorder=0.1,seed=$IMPAIR_SEED (retransmissions, SACK)
#   http-any.pcap        curl fetching a file from python3 -m http.server, `tcpdump -i any` in the server's
#                        namespace (Linux cooked SLL2, nanosecond timestamps)
#   http-tun.pcapng      the same fetch captured at the same time by `dumpcap -i tb` (pcapng, RAW)
# Needs: root, /dev/net/tun, ip, socat, tcpdump, dumpcap, curl, Debian's /usr/bin/python3.
# The CLI runs as `$SANSNET` when set (a command line, e.g. "java -cp ... io.sansnet.cli.Main"), otherwise through
# the ./sansnet launcher. Exit 0 when every trace was written and every transfer arrived intact.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
read -r -a sansnet <<<"${SANSNET:-$here/sansnet}"
PY=/usr/bin/python3 # Debian's interpreter (http.server), not a pyenv shim
SOCAT_BYTES=${SOCAT_BYTES:-786432}
HTTP_BYTES=${HTTP_BYTES:-262144}
IMPAIR_SEED=${IMPAIR_SEED:-20261122}
IMPAIR="loss=0.05,reorder=0.1,seed=$IMPAIR_SEED"

for tool in ip socat tcpdump dumpcap curl "$PY"; do
  command -v "$tool" >/dev/null || { echo "$0: needs $tool" >&2; exit 3; }
done
[ "$(id -u)" = 0 ] || { echo "$0: needs root (network namespaces, TUN devices)" >&2; exit 3; }

work=$(mktemp -d /tmp/sansnet-corpus.XXXXXX)
nsa=sncA$$
nsb=sncB$$
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$nsa" 2>/dev/null || true
  ip netns del "$nsb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "$nsa" "$nsb"; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
add_tun() { # NS DEV ADDR
  ip -n "$1" tuntap add dev "$2" mode tun
  ip netns exec "$1" sysctl -q -w "net.ipv6.conf.$2.disable_ipv6=1"
  ip -n "$1" addr add "$3/15" dev "$2"
  ip -n "$1" link set "$2" up
}
add_tun "$nsa" ta 198.18.0.1
add_tun "$nsb" tb 198.18.0.2

# Deterministic payloads.
"$PY" -c "import random,sys; sys.stdout.buffer.write(random.Random(1).randbytes($SOCAT_BYTES))" >"$work/socat.bin"
mkdir "$work/www"
"$PY" -c "import random,sys; sys.stdout.buffer.write(random.Random(2).randbytes($HTTP_BYTES))" >"$work/www/file.bin"

wait_for() { # FILE TEXT PID: waits until FILE contains TEXT while PID lives
  for _ in $(seq 1 400); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "$0: process $3 ended early:" >&2; cat "$1" >&2; return 1; }
    sleep 0.05
  done
  echo "$0: timed out waiting for '$2' in $1" >&2
  return 1
}
wait_listen() { # NS PORT
  for _ in $(seq 1 200); do
    [ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2")" ] && return 0
    sleep 0.05
  done
  echo "$0: nothing listens on port $2 in $1" >&2
  return 1
}
start_relay() { # LOG [relay options...]
  local log=$1
  shift
  "${sansnet[@]}" relay --tun "ta@$nsa" --tun "tb@$nsb" "$@" >"$log" 2>&1 &
  relay_pid=$!
  pids+=("$relay_pid")
  wait_for "$log" ready "$relay_pid"
}
stop() { # PID: SIGTERM (background jobs ignore SIGINT), then wait for it
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
same() { # FILE FILE
  cmp -s "$1" "$2" || { echo "$0: $2 differs from $1" >&2; exit 1; }
}

socat_trace() { # NAME [relay options...]
  local name=$1
  shift
  start_relay "$work/$name.relay.log" --pcap "$out/$name.pcap" "$@"
  ip netns exec "$nsb" socat -u TCP-LISTEN:5001,bind=198.18.0.2,reuseaddr "CREATE:$work/$name.received" &
  local srv=$!
  pids+=("$srv")
  wait_listen "$nsb" 5001
  ip netns exec "$nsa" socat -u "OPEN:$work/socat.bin" TCP:198.18.0.2:5001,connect-timeout=5
  wait "$srv"
  sleep 0.5 # the last ACKs and FINs
  stop "$relay_pid"
  same "$work/socat.bin" "$work/$name.received"
  sed 's/^/  relay: /' "$work/$name.relay.log"
}

echo "== socat-clean.pcap"
socat_trace socat-clean
echo "== socat-impaired.pcap ($IMPAIR)"
socat_trace socat-impaired --impair "$IMPAIR"

echo "== http-any.pcap and http-tun.pcapng"
start_relay "$work/http.relay.log"
(cd "$work/www" && exec ip netns exec "$nsb" "$PY" -m http.server 8080 --bind 198.18.0.2) \
  >"$work/http.log" 2>&1 &
pids+=($!)
wait_listen "$nsb" 8080
ip netns exec "$nsb" tcpdump -i any -n -s 0 -B 65536 -Z root --time-stamp-precision=nano -w "$out/http-any.pcap" \
  'tcp port 8080' 2>"$work/tcpdump.log" &
tcpdump_pid=$!
pids+=("$tcpdump_pid")
ip netns exec "$nsb" dumpcap -q -i tb -s 0 -f 'tcp port 8080' -w "$out/http-tun.pcapng" 2>"$work/dumpcap.log" &
dumpcap_pid=$!
pids+=("$dumpcap_pid")
wait_for "$work/tcpdump.log" "listening on" "$tcpdump_pid"
sleep 1 # dumpcap -q prints nothing when it starts
ip netns exec "$nsa" curl -sS --fail -o "$work/fetched.bin" http://198.18.0.2:8080/file.bin
sleep 2 # let both capture tools drain their buffers
stop "$tcpdump_pid"
stop "$dumpcap_pid"
stop "$relay_pid"
same "$work/www/file.bin" "$work/fetched.bin"
chmod 644 "$out"/*.pcap "$out"/*.pcapng

echo "== captured on $(uname -r) ($(uname -m)); congestion control $(sysctl -n net.ipv4.tcp_congestion_control)"
ls -l "$out"
