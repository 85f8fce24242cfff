#!/usr/bin/env bash
# Every benchmark, one command: builds once, runs each harness in turn, merges their figures into
# target/bench/report.json ({"figures": [{name, value, unit, target, met, floor, load_average}, ...]}) and prints the
# table. Not part of ./mvnw verify.
#
#   bench/run-all.sh [--only webhook,stream,gateway,e2e] [--skip-build] [--append]
#                    [-- <extra -D options for the Java harnesses>]
#   --append keeps the figures of an earlier run (e.g. to re-run one harness) instead of starting a new file.
#
#   webhook  webhook-service/bench/run.sh   delivery engine: throughput, latency (10 endpoints and ONE endpoint),
#                                           hanging endpoints, fan-out, CPU per delivery, RSS idle and under load
#   stream   webhook-service/bench/stream.sh -Dbench.phases=latency   live event stream latency
#   gateway  api-gateway/bench/run-benchmark.sh   gateway added latency and throughput ratio (needs wrk)
#   e2e      e2e-tests/bench/run.sh         POST /v2/servers -> server.created webhook, idle RSS of every service,
#                                           local platform deliveries/s (the platform as run-platform.sh runs it)
#
# Every harness also measures the floors of its run (Kafka produce -> consume, a PostgreSQL commit of one small row,
# the raw HTTP exchange with its receiver). Databases get the prefix CN_TEST_PG_NAMESPACE (default "runall_"), so two
# runs with different prefixes never collide. Logs: target/bench/<harness>.log; figures: target/bench/figures.jsonl.
# Exits non-zero only when a harness fails (a missed target is reported, not an error).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ONLY="webhook,stream,gateway,e2e"
BUILD=1
APPEND=0
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="$2"; shift 2 ;;
    --only=*) ONLY="${1#--only=}"; shift ;;
    --skip-build) BUILD=0; shift ;;
    --append) APPEND=1; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for h in ${ONLY//,/ }; do
  case "$h" in webhook|stream|gateway|e2e) ;; *) echo "unknown harness: $h" >&2; exit 2 ;; esac
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

export CN_TEST_PG_NAMESPACE="${CN_TEST_PG_NAMESPACE:-runall_}"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
export BENCH_FIGURES="$OUT/figures.jsonl"
[ "$APPEND" = 1 ] || rm -f "$BENCH_FIGURES"
rm -f "$OUT/report.json"

if [ "$BUILD" = 1 ]; then
  MODULES="test-support"
  { wants webhook || wants stream; } && MODULES="$MODULES,webhook-service"
  wants gateway && MODULES="$MODULES,api-gateway"
  wants e2e && MODULES="$MODULES,e2e-tests"
  echo "building $MODULES (package, offline; log: $OUT/build.log) ..."
  if ! ./mvnw -B -q -o -pl "$MODULES" -am package -DskipTests \
      dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test \
      > "$OUT/build.log" 2>&1; then
    tail -40 "$OUT/build.log"; echo "build failed" >&2; exit 1
  fi
fi
export BENCH_SKIP_BUILD=1

FAILED=()
run() {
  local name="$1"; shift
  echo "==== $name: $* (load average $(cut -d' ' -f1-3 /proc/loadavg); log $OUT/$name.log)"
  local start=$SECONDS
  if "$@" > "$OUT/$name.log" 2>&1; then
    echo "     $name done in $((SECONDS - start)) s"
  else
    echo "     $name FAILED (exit $?) after $((SECONDS - start)) s; last lines:"; tail -15 "$OUT/$name.log" | sed 's/^/     /'
    FAILED+=("$name")
  fi
  grep -E '^FIGURE ' "$OUT/$name.log" | sed 's/^/     /' || true
}

wants webhook && run webhook webhook-service/bench/run.sh "${EXTRA[@]}"
wants stream && run stream webhook-service/bench/stream.sh -Dbench.phases=latency "${EXTRA[@]}"
wants gateway && run gateway api-gateway/bench/run-benchmark.sh
wants e2e && run e2e e2e-tests/bench/run.sh "${EXTRA[@]}"

echo
CP="test-support/target/classes:$(cat test-support/target/bench-classpath.txt)"
if ! java -cp "$CP" io.cloudnexus.testsupport.bench.BenchReport "$BENCH_FIGURES" "$OUT/report.json"; then
  echo "merging the figures failed" >&2; exit 1
fi
echo
echo "report: $OUT/report.json (cores: $(nproc), load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "failed harnesses: ${FAILED[*]}" >&2
  exit 1
fi
