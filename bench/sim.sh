#!/usr/bin/env bash
# Simulation benchmark: the production protocol code (serf layer on memberlist) for N nodes on an
# in-memory network and virtual time, seeded. Writes bench/results/sim.jsonl (appends) and sim.md.
# Usage: bench/sim.sh [--seed S] [--independent-suspicions] [--loss-max N] [--loss-minutes M] [--stress-minutes M] [--window S] [SIZE...]
# Default sizes: 1000 2000 10000. Heap: SIM_HEAP (default 16g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp="$("$root/bench/classpath.sh")"
cd "$root"
exec java -Xmx"${SIM_HEAP:-16g}" -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -cp "$cp" dev.rumor.bench.SimBench --out "$root/bench/results" "$@"
