#!/usr/bin/env bash
# JMH microbenchmarks (codec, packet encryption, broadcast queue) with the gc allocation profiler.
# Compiles core's test sources (JMH is a test-scope dependency of core) and runs
# org.openjdk.jmh.Main. Writes bench/results/jmh.txt (human) and jmh.json (machine).
# Usage: bench/jmh.sh [JMH args, default: all benchmarks in dev.rumor.bench.jmh with -prof gc]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp="$("$root/bench/classpath.sh")"
mkdir -p "$root/bench/results"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=("dev.rumor.bench.jmh" -prof gc)
fi
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) java=$(java -version 2>&1 | head -1)"
  java -cp "$cp" org.openjdk.jmh.Main -rf json -rff "$root/bench/results/jmh.json" "${args[@]}"
} 2>&1 | tee "$root/bench/results/jmh.txt"
