#!/usr/bin/env bash
# Benchmark: the api-gateway against a direct call to the same upstream route, same run, same load.
# Prints the added p99 latency (target < 2 ms) and the throughput ratio gateway/direct (target >= 0.75), and appends
# them as JSON lines to $BENCH_FIGURES (default api-gateway/target/bench/figures.jsonl; bench/run-all.sh merges them).
#
#   api-gateway/bench/run-benchmark.sh            (from the repository root; needs wrk, node, psql, openssl)
#
# Environment: BENCH_DURATION [20s] per measurement, BENCH_LATENCY_CONNECTIONS [4] (the latency run, below
# saturation), BENCH_THROUGHPUT_CONNECTIONS [32] (the throughput run), PGHOST/PGUSER [127.0.0.1/postgres],
# BENCH_PIN=1: pin the gateway to CPU 0 and the upstream and wrk to CPU 1 (as if the gateway had its own
# host; default: everything shares all CPUs), BENCH_GATEWAY_OPTS: extra JVM options for the gateway,
# CN_TEST_PG_NAMESPACE: prefix of the database name (cn_bench_gateway), BENCH_FIGURES: the figures file.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="$ROOT/api-gateway/target/bench"
JAR="$ROOT/api-gateway/target/quarkus-app/quarkus-run.jar"
DURATION="${BENCH_DURATION:-20s}"
LAT_C="${BENCH_LATENCY_CONNECTIONS:-4}"
TPUT_C="${BENCH_THROUGHPUT_CONNECTIONS:-32}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
DB="${CN_TEST_PG_NAMESPACE:-}cn_bench_gateway"
FIGURES="${BENCH_FIGURES:-$BENCH/figures.jsonl}"

for tool in wrk node psql openssl curl java python3; do
  command -v "$tool" > /dev/null || { echo "missing: $tool (wrk: apt-get install -y wrk)" >&2; exit 1; }
done
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && ./mvnw -B -q -o -pl api-gateway -am package -DskipTests)
fi

mkdir -p "$BENCH"
GW_CPU=(); LOAD_CPU=()
if [ "${BENCH_PIN:-0}" = 1 ]; then GW_CPU=(taskset -c 0); LOAD_CPU=(taskset -c 1); fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP_PORT=$(free_port)
GW_PORT=$(free_port)
ADMIN_KEY="bench-$(openssl rand -hex 16)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done; wait 2> /dev/null || true; }
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$BENCH/identity-private.pem" 2> /dev/null
psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" > /dev/null

"${LOAD_CPU[@]}" node "$ROOT/api-gateway/bench/upstream.js" "$UP_PORT" & PIDS+=($!)
# shellcheck disable=SC2086
"${GW_CPU[@]}" java -Xmx512m ${BENCH_GATEWAY_OPTS:-} -Dquarkus.http.port="$GW_PORT" -Dquarkus.log.level=WARN \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://$PGHOST:5432/$DB" -Dquarkus.datasource.username="$PGUSER" \
  -Dcloudnexus.identity.signing-key-location="file:$BENCH/identity-private.pem" \
  -Dcloudnexus.gateway.routes.compute="http://127.0.0.1:$UP_PORT" \
  -Dcloudnexus.gateway.admin.bootstrap-key="$ADMIN_KEY" \
  -jar "$JAR" > "$BENCH/gateway.log" 2>&1 & PIDS+=($!)
GW_PID=$!

for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW_PORT/q/health/ready")" = 200 ] && break
  sleep 0.5
done
ACCOUNT=$(curl -sf -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name":"bench","tier":"enterprise","custom_rate_limit":1000000000}' \
  "http://127.0.0.1:$GW_PORT/admin/accounts" | sed -E 's/.*"id":"([^"]+)".*/\1/')
KEY=$(curl -sf -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"scopes":["read"]}' "http://127.0.0.1:$GW_PORT/admin/accounts/$ACCOUNT/keys" \
  | sed -E 's/.*"key":"([^"]+)".*/\1/')

DIRECT="http://127.0.0.1:$UP_PORT/regions"
GATEWAY="http://127.0.0.1:$GW_PORT/v2/regions"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" -H "X-CloudNexus-Id: $ACCOUNT" "$GATEWAY")" = 200 ] \
  || { echo "the gateway does not answer 200; see $BENCH/gateway.log" >&2; exit 1; }

direct() { "${LOAD_CPU[@]}" wrk -t1 -c"$1" -d"$2" --latency "$DIRECT"; }
gateway() { "${LOAD_CPU[@]}" wrk -t1 -c"$1" -d"$2" --latency -H "Authorization: Bearer $KEY" -H "X-CloudNexus-Id: $ACCOUNT" "$GATEWAY"; }
# wrk prints latency in us, ms or s: normalise to ms
p99() { awk '$1=="99%"{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'; }
rps() { awk '/^Requests\/sec/{print $2}'; }
requests() { awk '/requests in/{print $1}'; }
# the gateway's CPU time (user + system, in clock ticks) so far: CPU per request does not move with the load
gw_ticks() { awk '{print $14 + $15}' "/proc/$GW_PID/stat"; }

echo "warming up (JIT) ..."
gateway "$TPUT_C" 15s > /dev/null
direct "$TPUT_C" 5s > /dev/null

echo "latency run: $LAT_C connections, $DURATION each"
D_LAT=$(direct "$LAT_C" "$DURATION"); G_LAT=$(gateway "$LAT_C" "$DURATION")
echo "throughput run: $TPUT_C connections, $DURATION each"
D_TP=$(direct "$TPUT_C" "$DURATION")
T0=$(gw_ticks); G_TP=$(gateway "$TPUT_C" "$DURATION"); T1=$(gw_ticks)
G_CPU_US=$(echo "($T1 - $T0) * 1000000 / $(getconf CLK_TCK) / $(requests <<< "$G_TP")" | bc -l)

printf '%s\n' "$D_LAT" > "$BENCH/direct-latency.txt"; printf '%s\n' "$G_LAT" > "$BENCH/gateway-latency.txt"
printf '%s\n' "$D_TP" > "$BENCH/direct-throughput.txt"; printf '%s\n' "$G_TP" > "$BENCH/gateway-throughput.txt"

D_P99=$(p99 <<< "$D_LAT"); G_P99=$(p99 <<< "$G_LAT")
D_RPS=$(rps <<< "$D_TP"); G_RPS=$(rps <<< "$G_TP")
D_P99_T=$(p99 <<< "$D_TP"); G_P99_T=$(p99 <<< "$G_TP")
echo
echo "                         direct      gateway"
printf 'p99 at %2d connections   %7.2f ms  %7.2f ms   added p99: %.2f ms (target < 2 ms)\n' "$LAT_C" "$D_P99" "$G_P99" "$(echo "$G_P99 - $D_P99" | bc -l)"
printf 'req/s at %2d connections %9.0f  %9.0f   ratio: %.2f (target >= 0.75)\n' "$TPUT_C" "$D_RPS" "$G_RPS" "$(echo "$G_RPS / $D_RPS" | bc -l)"
printf 'p99 at %2d connections   %7.2f ms  %7.2f ms\n' "$TPUT_C" "$D_P99_T" "$G_P99_T"
printf 'gateway CPU per request (user + system, throughput run): %.1f us; load average %s\n' "$G_CPU_US" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw wrk outputs: $BENCH/*.txt"

# the figures, as JSON lines (python3's json; the load average read now, at the end of the measurements)
mkdir -p "$(dirname "$FIGURES")"
python3 - "$FIGURES" "$LAT_C" "$TPUT_C" "$D_P99" "$G_P99" "$D_RPS" "$G_RPS" "$D_P99_T" "$G_P99_T" "$G_CPU_US" << 'PY'
import json, sys
out, lat_c, tput_c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d_p99, g_p99, d_rps, g_rps, d_p99_t, g_p99_t, g_cpu = (float(v) for v in sys.argv[4:11])
load = float(open("/proc/loadavg").read().split()[0])
def fig(name, value, unit, target=None, floor=None):
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "floor": floor,
            "load_average": load}
figures = [
    fig(f"gateway: added latency p99 vs calling the upstream directly ({lat_c} connections)", g_p99 - d_p99, "ms",
        "< 2", d_p99),
    fig(f"gateway: p99 through the gateway ({lat_c} connections)", g_p99, "ms", None, d_p99),
    fig(f"gateway: throughput ratio gateway/direct ({tput_c} connections)", g_rps / d_rps, "x", ">= 0.75"),
    fig(f"gateway: requests/s through the gateway ({tput_c} connections)", g_rps, "req/s"),
    fig(f"gateway: requests/s direct to the upstream ({tput_c} connections)", d_rps, "req/s"),
    fig(f"gateway: p99 through the gateway ({tput_c} connections)", g_p99_t, "ms", None, d_p99_t),
    fig(f"gateway: CPU time per proxied request ({tput_c} connections)", g_cpu, "us"),
]
with open(out, "a") as f:
    for x in figures:
        f.write(json.dumps(x) + "\n")
print(f"figures appended to {out}")
PY
