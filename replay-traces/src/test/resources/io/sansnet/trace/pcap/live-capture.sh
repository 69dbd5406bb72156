#!/bin/sh
# Run inside a fresh network namespace (unshare --net) in the directory that receives the captures.
# Captures loopback traffic three ways at once: lo (Ethernet, nanosecond pcap), any as LINUX_SLL2 and any as
# LINUX_SLL; the traffic is ping (IPv4 with a 3000-byte payload, IPv6) and a 2 MB TCP transfer of random bytes, whose segments the
# loopback device carries at up to 64 KiB.
set -u
ip link set lo up
tcpdump -i lo -n -U -s 0 --time-stamp-precision=nano -w lo.pcap 2>lo.err &
A=$!
tcpdump -i any -y LINUX_SLL2 -n -U -s 0 -w sll2.pcap 2>sll2.err &
B=$!
tcpdump -i any -y LINUX_SLL -n -U -s 0 -w sll.pcap 2>sll.err &
C=$!
trap 'kill -INT $A $B $C 2>/dev/null' EXIT
for i in $(seq 200); do
  if grep -q listening lo.err && grep -q listening sll2.err && grep -q listening sll.err; then break; fi
  sleep 0.1
done
ping -c 2 -i 0.2 -s 3000 127.0.0.1 >/dev/null
ping -6 -c 2 -i 0.2 ::1 >/dev/null
timeout 30 socat -u TCP-LISTEN:5001,bind=127.0.0.1,reuseaddr OPEN:/dev/null &
S=$!
# The listener may take a moment to start on a loaded machine: retry the connect.
for i in $(seq 100); do
  head -c 2000000 /dev/urandom | timeout 30 socat -u - TCP:127.0.0.1:5001 2>/dev/null && break
  sleep 0.1
done
wait $S
sleep 0.5
kill -INT $A $B $C
wait $A $B $C
trap - EXIT
