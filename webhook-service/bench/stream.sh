#!/usr/bin/env bash
# webhook-service live event stream benchmark: one command.
#   webhook-service/bench/stream.sh [-Dname=value ...]   (from anywhere; needs PostgreSQL on 127.0.0.1:5432, no Kafka)
# Builds the packaged service and the harness (BENCH_SKIP_BUILD=1 skips it), raises the open-files limit as far as it
# may (the service JVM is started by the harness and inherits it), then runs io.cloudnexus.webhook.bench.StreamBench,
# which starts an in-process Kafka broker, a fresh database (cn_bench_stream) and the packaged service in its own JVM,
# connects Vert.x WebSocket clients from the harness JVM to GET /events/stream and prints every figure with the load
# average. Tunables (defaults):
#   -Dbench.phases=latency,memory,max    which of the three to run
#   latency (event on Kafka -> frame at the client, and the Kafka produce -> consume floor):
#   -Dbench.stream.rate=1000             events/s, paced
#   -Dbench.stream.seconds=10            measured seconds (after -Dbench.stream.warmup=3 s not measured)
#   -Dbench.stream.clients=100           WebSocket clients, spread over
#   -Dbench.stream.accounts=10           accounts (events round-robin over them: clients/accounts frames per event)
#   memory per idle connection (heap after a full GC via jcmd, and RSS, before/after; a first round not measured):
#   -Dbench.memory.connections=2000 -Dbench.memory.accounts=20 -Dbench.memory.idle=5 (seconds idle before measuring)
#   -Dbench.memory.settle=12000          ms after closing connections before measuring (a close may wait out a timeout)
#   most connections held (steps until one fails, the service closes one, or the maximum):
#   -Dbench.max.connections=10000 -Dbench.max.step=1000 -Dbench.max.accounts=100
#   -Dbench.open.concurrency=64          handshakes in flight while opening
#   -Dbench.jfr=true                     profiles the service into webhook-service/target/bench/stream-service.jfr
# The service's per-account cap (enterprise) is raised to what the largest phase needs (at least 100).
# Environment: BENCH_NOFILE=65536 (open-files limit to ask for), BENCH_SKIP_BUILD=1.
set -euo pipefail
MODULE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$MODULE/.." && pwd)"
cd "$ROOT"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -o -pl webhook-service -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
# a connection is a file descriptor on each side; raising the hard limit needs root
ulimit -n "${BENCH_NOFILE:-65536}" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open-files limit: $(ulimit -n)"
cd "$MODULE"
exec java -Xmx1g "$@" -cp "target/test-classes:$(cat target/bench-classpath.txt)" \
  io.cloudnexus.webhook.bench.StreamBench 2> >(grep --line-buffered -v -E '^\s*$' > target/stream-bench-harness.log)
