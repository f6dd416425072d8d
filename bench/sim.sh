#!/usr/bin/env bash
# Simulation benchmark: the production membership code for N nodes on an in-memory network and virtual
# time, seeded. Writes bench/results/NAME.jsonl (appends) and NAME.md (NAME: --name, default sim).
# Usage: bench/sim.sh [--seed S] [--name NAME] [--independent-suspicions] [--loss-max N] [--loss-minutes M]
#        [--stress-minutes M] [--window S] [--warm-start-above N] [--warm-window S] [--histogram]
#        [--stress-only] [SIZE...]
# Default sizes: 1000 2000 10000; sizes above --warm-start-above (default 2000) are warm-started (no bootstrap).
# Heap: SIM_HEAP (default 16g). Extra JVM flags: SIM_JAVA_OPTS (default -XX:NewRatio=4: ParallelGC's old
# generation is fixed at heap × NewRatio/(NewRatio+1), and the N² member states all end up there).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp="$("$root/bench/classpath.sh")"
cd "$root"
# shellcheck disable=SC2086
exec java -Xmx"${SIM_HEAP:-16g}" -XX:+UseParallelGC ${SIM_JAVA_OPTS:--XX:NewRatio=4} \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -cp "$cp" dev.rumor.bench.SimBench --out "$root/bench/results" "$@"
