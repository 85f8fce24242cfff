#!/usr/bin/env bash
# The end-to-end benchmark: one command.
#   e2e-tests/bench/run.sh [-Dname=value ...]   (from anywhere; needs PostgreSQL on 127.0.0.1:5432, Java 17, Node.js)
# Packages the platform and the harness (BENCH_SKIP_BUILD=1 skips it), then runs io.cloudnexus.e2e.bench.E2eBench:
# the platform as ./run-platform.sh runs it (the e2e tests' Platform: the launcher, a Kafka broker, the five packaged
# services as processes, on free ports, in e2e-tests/target/bench/local, databases <CN_TEST_PG_NAMESPACE>cn_bench_e2e_*),
# a webhook receiver in the harness, and prints every figure (also appended to $BENCH_FIGURES, default
# e2e-tests/target/bench/figures.jsonl). Tunables (defaults):
#   -Dbench.phases=idle,created,throughput
#   -Dbench.idle.seconds=15     quiet period after start-up before each service's RSS is read
#   -Dbench.e2e.rate=50 -Dbench.e2e.seconds=20 -Dbench.e2e.warmup=30    POST /v2/servers -> server.created webhook
#   -Dbench.tp.events=20000 -Dbench.tp.endpoints=5 -Dbench.tp.rate-limit=1000   local platform deliveries/s
#   -Dbench.floor.samples=500 -Dbench.floor.warmup=100                   each floor's samples
set -euo pipefail
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
cd "$ROOT"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -o -pl e2e-tests -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
cd "$MODULE"
exec java -Xmx512m -Dcloudnexus.root="$ROOT" "$@" -cp "target/test-classes:$(cat target/bench-classpath.txt)" \
  io.cloudnexus.e2e.bench.E2eBench
