#!/usr/bin/env bash
# Compiles core with its test sources (without installing anything) and prints the classpath to run the
# benchmark mains from them: core test classes + core classes + every test-scope dependency.
# Usage: bench/classpath.sh [extra maven args]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cpfile="$root/core/target/bench.classpath"
mvn -B -q -pl core -am -DskipTests "$@" test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >&2
echo "$root/core/target/test-classes:$root/core/target/classes:$(cat "$cpfile")"
