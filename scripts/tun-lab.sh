#!/usr/bin/env bash
# A network namespace with a TUN device for trying sansnet against the Linux kernel (run as root).
#
#   scripts/tun-lab.sh up   [NS] [DEV]   create namespace NS (default: sansnet) holding TUN device DEV (default: tun0),
#                                        kernel side 198.18.0.1/15 and fd00:5a::1/64; sansnet takes .2 and ::2
#   scripts/tun-lab.sh down [NS]         delete the namespace (and the device with it)
#   scripts/tun-lab.sh status [NS]       show the namespace's addresses and routes
#
# Then, in one terminal:
#   ip netns exec sansnet ./sansnet host --tun tun0 --addr 198.18.0.2/15 --addr6 fd00:5a::2/64 --udp-echo 7
# and in another:
#   ip netns exec sansnet ping -c 3 198.18.0.2
#   ip netns exec sansnet ping -6 -c 3 fd00:5a::2
#   ip netns exec sansnet socat - UDP:198.18.0.2:7
#
# The same by hand: ip netns add NS; ip -n NS tuntap add dev DEV mode tun; ip -n NS addr add 198.18.0.1/15 dev DEV;
# ip -n NS addr add fd00:5a::1/64 dev DEV nodad; ip -n NS link set DEV up. Without namespaces, `ip tuntap add` in the
# current one works too. The addresses are from the benchmarking block 198.18.0.0/15 (RFC 2544) and a ULA (RFC 4193).
set -euo pipefail

cmd="${1:-}"
ns="${2:-sansnet}"
dev="${3:-tun0}"

die() { echo "tun-lab: $*" >&2; exit "${2:-2}"; }

[[ "$ns" =~ ^[A-Za-z0-9_.-]+$ ]] || die "bad namespace name '$ns'"
[[ "$dev" =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || die "bad device name '$dev'"

case "$cmd" in
  up)
    [[ $EUID -eq 0 ]] || die "must run as root (ip netns add needs CAP_SYS_ADMIN)" 3
    [[ -c /dev/net/tun ]] || die "no /dev/net/tun (modprobe tun)" 3
    if ip netns list | grep -qw -- "$ns"; then
      die "namespace $ns already exists (scripts/tun-lab.sh down $ns first)" 3
    fi
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" tuntap add dev "$dev" mode tun
    ip -n "$ns" addr add 198.18.0.1/15 dev "$dev"
    ip -n "$ns" addr add fd00:5a::1/64 dev "$dev" nodad
    ip -n "$ns" link set "$dev" up
    echo "namespace $ns: $dev has 198.18.0.1/15 and fd00:5a::1/64; give sansnet 198.18.0.2/15 and fd00:5a::2/64:"
    echo "  ip netns exec $ns ./sansnet host --tun $dev --addr 198.18.0.2/15 --addr6 fd00:5a::2/64 --udp-echo 7"
    ;;
  down)
    [[ $EUID -eq 0 ]] || die "must run as root" 3
    ip netns del "$ns"
    ;;
  status)
    ip -n "$ns" addr show
    ip -n "$ns" route show
    ip -n "$ns" -6 route show
    ;;
  *)
    die "usage: $0 up|down|status [NS] [DEV]"
    ;;
esac
