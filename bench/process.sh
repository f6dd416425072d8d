#!/usr/bin/env bash
# Process benchmark: the same scenario against real `serf agent` processes and `rumor agent` processes,
# alternating, on loopback, one process per agent, LAN defaults. Writes bench/results/<tag>.jsonl
# (appends) and <tag>.md (medians [min–max] and the ratio rumor/serf).
# Usage: bench/process.sh [--sizes 5,25,50,100] [--reps 3] [--kinds serf,rumor] [--window 30]
#                         [--settle 10] [--cli-reps 5] [--serf /usr/bin/serf] [--rumor PATH] [--tag process]
#                         [--keep-logs]   (keeps every run's directory with the agents' logs; kept_dir in the JSON)
# Builds the rumor distribution first when it is missing (needs only Java 17 and Maven; no jq/python).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rumor="$root/distribution/target/rumor/bin/rumor"
if [[ " $* " != *" --kinds serf "* ]] && [ ! -x "$rumor" ]; then
  echo "building the rumor distribution..." >&2
  mvn -B -q -pl distribution -am -DskipTests package >&2
fi
cp="$("$root/bench/classpath.sh")"
cmd=(java -Xmx256m -cp "$cp" dev.rumor.bench.ProcessBench --rumor "$rumor" --out "$root/bench/results" "$@")
# As root, run in a private network namespace with only its own loopback, so the packet and byte counters of
# the idle window count the agents' traffic and nothing else on the machine. Otherwise: the host's loopback.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null && unshare -n true 2>/dev/null; then
  exec unshare -n sh -c 'ip link set lo up && BENCH_NETNS=1 exec "$@"' sh "${cmd[@]}"
fi
exec "${cmd[@]}"
