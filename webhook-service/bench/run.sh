#!/usr/bin/env bash
# webhook-service delivery benchmark: one command.
#   webhook-service/bench/run.sh            (from anywhere; needs PostgreSQL on 127.0.0.1:5432, no Kafka needed)
# Builds the packaged service and the harness, then runs io.cloudnexus.webhook.bench.WebhookBench, which starts an
# in-process Kafka broker, a fresh database (cn_bench_webhook), a Vert.x receiver and the packaged service in its
# own JVM, and prints every figure. Tunables: -Dbench.events=2000 -Dbench.endpoints=50 -Dbench.latency.rate=1000
# -Dbench.latency.seconds=10 -Dbench.latency.endpoints=10 -Dbench.fanout=10000 -Dbench.connections=64, and
# -Dbench.jfr=true (profiles the service into target/bench/service.jfr), -Dbench.phases=throughput,latency,hanging,fanout,
# passed as arguments to this script.
set -euo pipefail
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
cd "$ROOT"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -o -pl webhook-service -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
cd "$MODULE"
exec java -Xmx1g "$@" -cp "target/test-classes:$(cat target/bench-classpath.txt)" \
  io.cloudnexus.webhook.bench.WebhookBench 2> >(grep --line-buffered -v -E '^\s*$' > target/bench-harness.log)
