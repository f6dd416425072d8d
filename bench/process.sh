#!/usr/bin/env bash
# Process benchmark: the same scenario against real `serf agent` processes and `rumor agent` processes,
# alternating, on loopback, one process per agent, LAN defaults. Writes bench/results/<tag>.jsonl
# (appends) and <tag>.md (medians [min–max] and the ratio rumor/serf).
# Usage: bench/process.sh [--sizes 5,25,50,100] [--reps 3] [--kinds serf,rumor] [--window 30]
#                         [--settle 10] [--cli-reps 5] [--serf /usr/bin/serf] [--rumor PATH] [--tag process]
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
exec java -Xmx256m -cp "$cp" dev.rumor.bench.ProcessBench --rumor "$rumor" --out "$root/bench/results" "$@"
