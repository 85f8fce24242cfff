#!/usr/bin/env bash
# fault-tests/run.sh -- the fault-injection scenarios with their FULL sizes (the same tests `./mvnw -B verify`
# runs with moderate sizes), then the results table:
#   scenario | sent | received | lost | duplicates | drain / resume | healthy rate ratio | pass | notes
#
#   fault-tests/run.sh                 scenarios 1-4, 6 and 7, full sizes (about 20-30 minutes on 2 cores)
#   fault-tests/run.sh --soak          also scenario 5: one hour at 500 events/s (RSS sampled)
#   fault-tests/run.sh --only SoakIT   one or more test classes (comma-separated)
#   fault-tests/run.sh -Dfault.kill.events=5000 ...   any fault.* property (docs/fault-tests.md)
#
# Needs what ./mvnw verify needs (PostgreSQL on 127.0.0.1:5432, see README). Builds the services if needed
# (package, never install). Results: fault-tests/target/fault-report.tsv; service logs: fault-tests/target/*.log.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
TESTS="KillWebhookIT,ReplicasIT,InfrastructureIT,HostileReceiversIT,RateLimitIT,StreamReplicasIT"
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --soak) TESTS="$TESTS,SoakIT" ;;
    --only) shift; TESTS="$1" ;;
    -h|--help) sed -n 2,12p "${BASH_SOURCE[0]}"; exit 0 ;;
    -D*) EXTRA+=("$1") ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# full sizes (the issue's numbers); later -D options on the command line win
FULL=(
  -Dfault.kill.events=20000 -Dfault.kill.endpoints=5 -Dfault.kill.rate=150 -Dfault.kill.kills=3
  -Dfault.replicas.events=20000 -Dfault.replicas.endpoints=5 -Dfault.replicas.rate=150
  -Dfault.infra.outage-seconds=30 -Dfault.infra.servers-while-cut=50
  -Dfault.hostile.events=5000
  -Dfault.rate.events=6000
  -Dfault.soak.seconds=3600 -Dfault.soak.rate=500
)
REPORT="$ROOT/fault-tests/target/fault-report.tsv"
rm -f "$REPORT"
LOG="$ROOT/fault-tests/target/run.log"
mkdir -p "$ROOT/fault-tests/target"
echo "==> ./mvnw verify -pl fault-tests -am, tests $TESTS (log: ${LOG#"$ROOT"/})"
set +e
(cd "$ROOT" && ./mvnw -B -pl fault-tests -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dit.test="$TESTS" "${FULL[@]}" ${EXTRA[@]+"${EXTRA[@]}"}) >"$LOG" 2>&1
RC=$?
set -e
if [ ! -s "$REPORT" ]; then
  echo "no results (build or start-up failed); last lines of $LOG:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi
echo
awk -F'\t' 'BEGIN { h="scenario\tsent\treceived\tlost\tduplicates\tdrain / resume\thealthy rate ratio\tpass\tnotes" }
  { rows[NR]=$0 } END {
    rows[0]=h; n=split(h, head, "\t")
    for (r=0; r<=NR; r++) { m=split(rows[r], c, "\t"); for (i=1; i<=m; i++) if (length(c[i])>w[i]) w[i]=length(c[i]) }
    for (r=0; r<=NR; r++) {
      m=split(rows[r], c, "\t"); line="|"
      for (i=1; i<=n; i++) line=line sprintf(" %-" w[i] "s |", c[i]); print line
      if (r==0) { line="|"; for (i=1; i<=n; i++) { d=""; for (k=0; k<w[i]+2; k++) d=d "-"; line=line d "|" } print line }
    }
  }' "$REPORT"
echo
if [ "$RC" -eq 0 ]; then echo "all scenarios passed"; else echo "some scenarios FAILED (exit $RC); details in $LOG and fault-tests/target/failsafe-reports"; fi
exit "$RC"
