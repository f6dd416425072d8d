#!/bin/sh
# Footprint figures for README-figures.md: peak RSS and idle CPU of agents in an N-node loopback cluster,
# and the wall time of `rumor members` against it. Uses the unpacked distribution (default
# distribution/target/rumor).
#
#   distribution/scripts/measure-footprint.sh [NODES=10] [IDLE_SECONDS=60] [MEMBERS_RUNS=20]
#   PLAIN=1 distribution/scripts/measure-footprint.sh ...   # agents on a bare `java -cp lib/*` for comparison
#   SERF=1 distribution/scripts/measure-footprint.sh ...    # the same with serf agents, for reference
#
# Peak RSS is VmHWM from /proc/PID/status of each agent JVM (the launcher exec's it, so the PID started is
# the JVM), read after the cluster has converged and idled; PSS (/proc/PID/smaps_rollup) counts shared pages
# (libjvm.so, ...) once per sharer. Idle CPU is utime+stime from /proc/PID/stat over the idle window, which
# starts SETTLE seconds (default 10) after convergence, as a percentage of one core; the CPU of the SETTLE
# seconds right after convergence (JIT compilation is still busy then) is printed too. Linux only. Every
# agent is stopped at the end.
set -eu
# Note: agents are started with `&` from this non-interactive shell, so they inherit SIGINT as ignored;
# the cleanup stops them with SIGTERM.
NODES=${1:-10}
IDLE=${2:-60}
RUNS=${3:-20}
SETTLE=${SETTLE:-10}
HERE=$(CDPATH='' cd -P -- "$(dirname -- "$0")" && pwd -P)
RUMOR_HOME=${RUMOR_HOME:-$HERE/../target/rumor}
RUMOR=$RUMOR_HOME/bin/rumor
WORK=$(mktemp -d)
pids=
# A run of 2*NODES loopback ports nobody uses now (TCP or UDP).
in_use=$(ss -Htanu 2>/dev/null | awk '{print $5}' | sed 's/.*://' | sort -u)
while :; do
  BASE=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 ))
  clash=
  for p in $in_use; do
    if [ "$p" -ge "$BASE" ] 2>/dev/null && [ "$p" -lt $((BASE + 2 * NODES)) ]; then clash=1; fi
  done
  [ -z "$clash" ] && break
done
die() { echo "measure-footprint: $*" >&2; exit 1; }
alive_all() { for p in $pids; do kill -0 "$p" 2>/dev/null || die "an agent exited early; logs in $WORK"; done; }
cleanup() {
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  [ -n "${KEEP_LOGS:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

i=0
while [ "$i" -lt "$NODES" ]; do
  gossip=$((BASE + 2 * i)); rpc=$((BASE + 2 * i + 1))
  join=
  [ "$i" -gt 0 ] && join="-join=127.0.0.1:$BASE"
  if [ -n "${SERF:-}" ]; then
    set -- serf
  elif [ -n "${PLAIN:-}" ]; then
    set -- java -Drumor.home="$RUMOR_HOME" -cp "$RUMOR_HOME/lib/*" dev.rumor.cli.Main
  else
    set -- "$RUMOR"
  fi
  # shellcheck disable=SC2086
  data="-data-dir=$WORK/n$i"
  [ -n "${SERF:-}" ] && data=
  "$@" agent -node="n$i" -bind="127.0.0.1:$gossip" -rpc-addr="127.0.0.1:$rpc" $data \
    $join >"$WORK/n$i.log" 2>&1 &
  pids="$pids $!"
  # the first node must be up before the others join it
  if [ "$i" -eq 0 ]; then
    until grep -q 'Log data will now stream' "$WORK/n0.log"; do alive_all; sleep 0.2; done
    [ -n "${SERF:-}" ] && sleep 0.5
  fi
  i=$((i + 1))
done
CLI=$RUMOR
[ -n "${SERF:-}" ] && CLI=serf
until [ "$("$CLI" members -rpc-addr="127.0.0.1:$((BASE + 1))" -status=alive | wc -l)" -eq "$NODES" ]; do
  alive_all; sleep 1
done
echo "cluster of $NODES converged; settling ${SETTLE}s, then idling ${IDLE}s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
all_ticks() { t=0; for p in $pids; do t=$((t + $(ticks "$p"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)
# percent of one core per agent, with two decimals: ticks * 100 / CLK_TCK / seconds / NODES
percent() { # TICKS NANOSECONDS
  centi=$(( $1 * 100 * 100 * 1000 / hz / ($2 / 1000000) / NODES ))
  echo "$((centi / 100)).$(printf '%02d' $((centi % 100)))%"
}
cpu0=$(all_ticks); start=$(date +%s%N)
sleep "$SETTLE"
cpu1=$(all_ticks); end=$(date +%s%N)
[ "$SETTLE" -gt 0 ] && echo "CPU per agent in the ${SETTLE}s right after convergence: $(percent $((cpu1 - cpu0)) $((end - start))) of one core"
cpu0=$cpu1; start=$end
sleep "$IDLE"
alive_all
cpu1=$(all_ticks); end=$(date +%s%N)
echo "idle CPU per agent over ${IDLE}s: $(percent $((cpu1 - cpu0)) $((end - start))) of one core (load average: $(cut -d' ' -f1-3 /proc/loadavg))"

total=0; max=0; min=
for p in $pids; do
  kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status")
  total=$((total + kb)); [ "$kb" -gt "$max" ] && max=$kb
  if [ -z "$min" ] || [ "$kb" -lt "$min" ]; then min=$kb; fi
done
echo "peak RSS per agent (VmHWM): min $((min / 1024)) MiB, mean $((total / NODES / 1024)) MiB, max $((max / 1024)) MiB"
rss=0
for p in $pids; do rss=$((rss + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status"))); done
echo "RSS per agent now (VmRSS): mean $((rss / NODES / 1024)).$(( (rss / NODES % 1024) * 10 / 1024 )) MiB"
pss=0
for p in $pids; do pss=$((pss + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"))); done
echo "PSS per agent (shared pages split between sharers): mean $((pss / NODES / 1024)) MiB"
p1=${pids# }; p1=${p1%% *}
echo "agent 0: $(grep -E '^(VmRSS|Threads)' "/proc/$p1/status" | tr -s ' \t' ' ' | tr '\n' ' ')"

# Wall time of `rumor members` (a fresh JVM each time), best and median of RUNS: through the launcher, the
# launcher without the CDS archive, and a bare `java -cp lib/*` with the JVM's default options.
time_members() {
  label=$1; shift
  times=
  r=0
  while [ "$r" -lt "$RUNS" ]; do
    s=$(date +%s%N)
    "$@" members -rpc-addr="127.0.0.1:$((BASE + 3))" >/dev/null
    e=$(date +%s%N)
    times="$times $(( (e - s) / 1000000 ))"
    r=$((r + 1))
  done
  sorted=$(printf '%s\n' $times | sort -n)
  echo "rumor members, $label, $RUNS runs: best $(echo "$sorted" | head -1) ms, median $(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p") ms"
}
if [ -n "${SERF:-}" ]; then
  time_members "serf" serf
  exit 0
fi
time_members "bin/rumor" "$RUMOR"
time_members "bin/rumor with RUMOR_CDS=off" env RUMOR_CDS=off "$RUMOR"
time_members "bare java -cp lib/*" java -cp "$RUMOR_HOME/lib/*" dev.rumor.cli.Main
