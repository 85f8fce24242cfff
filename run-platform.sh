#!/usr/bin/env bash
# run-platform.sh -- run the whole CloudNexus platform on this machine with one command:
# a standalone Apache Kafka broker (KRaft, jars from Maven Central, no Docker), the five
# Quarkus services and the gateway, against a local PostgreSQL.
#
#   ./run-platform.sh              build if needed, start everything, wait, stay in foreground
#   ./run-platform.sh --help       all options and environment variables
#
# Everything it creates lives under .local/ in the repository (git-ignored).
# See deploy/local/README.md.
set -euo pipefail

# ----------------------------------------------------------------------------- locations
SELF="${BASH_SOURCE[0]}"
while [ -L "$SELF" ]; do # follow symlinks to the script (e.g. ~/bin/cloudnexus -> repo/run-platform.sh)
  LINK="$(readlink "$SELF")"
  case "$LINK" in /*) SELF="$LINK" ;; *) SELF="$(dirname "$SELF")/$LINK" ;; esac
done
ROOT="$(cd "$(dirname "$SELF")" && pwd -P)"
LOCAL="$ROOT/.local"
LOGS="$LOCAL/logs"
PIDS="$LOCAL/pids"
KEYS="$LOCAL/keys"
KAFKA_HOME="$LOCAL/kafka"
KAFKA_LIB="$KAFKA_HOME/lib"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_LOG_DIR="$KAFKA_DATA/kraft-logs"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DATA/cluster-id"
KAFKA_PROPS="$KAFKA_HOME/server.properties"
KAFKA_POM="$ROOT/deploy/local/kafka/pom.xml"
KAFKA_TEMPLATE="$ROOT/deploy/local/kafka/server.properties.template"
DEMO_CREDENTIALS="$LOCAL/demo-credentials.env"
PRIVATE_KEY="$KEYS/identity-private.pem"
PUBLIC_KEY="$KEYS/identity-public.pem"
RUNNER_PID_FILE="$PIDS/run-platform.pid"

# ----------------------------------------------------------------------------- settings
CN_GATEWAY_PORT="${CN_GATEWAY_PORT:-8080}"
CN_COMPUTE_PORT="${CN_COMPUTE_PORT:-8081}"
CN_CLUSTER_PORT="${CN_CLUSTER_PORT:-8082}"
CN_BILLING_PORT="${CN_BILLING_PORT:-8083}"
CN_WEBHOOK_PORT="${CN_WEBHOOK_PORT:-8084}"
CN_HTTP_HOST="${CN_HTTP_HOST:-127.0.0.1}"
CN_KAFKA_PORT="${CN_KAFKA_PORT:-9092}"
CN_KAFKA_CONTROLLER_PORT="${CN_KAFKA_CONTROLLER_PORT:-9093}"
CN_KAFKA_HEAP="${CN_KAFKA_HEAP:--Xmx512m}"
CN_DB_HOST="${CN_DB_HOST:-127.0.0.1}"
CN_DB_PORT="${CN_DB_PORT:-5432}"
CN_DB_USER="${CN_DB_USER:-postgres}"
CN_DB_PASSWORD="${CN_DB_PASSWORD:-}"
CN_JVM_OPTS="${CN_JVM_OPTS:--Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError}"
CN_EXTRA_OPTS="${CN_EXTRA_OPTS:-}"
CN_READY_TIMEOUT="${CN_READY_TIMEOUT:-180}"
CN_KAFKA_TIMEOUT="${CN_KAFKA_TIMEOUT:-60}"
CN_STOP_TIMEOUT="${CN_STOP_TIMEOUT:-20}"
CN_DETACH="${CN_DETACH:-0}"

# start order (the gateway last: it routes to the others)
SERVICES="compute-service cluster-service billing-service webhook-service api-gateway"
TOPICS="compute.events cluster.events billing.events webhook.events"
TOPIC_PARTITIONS=3
DATABASES="cloudnexus_gateway cloudnexus_compute cloudnexus_cluster cloudnexus_billing cloudnexus_webhook"

# ----------------------------------------------------------------------------- output helpers
if [ -t 1 ]; then
  IS_TTY=1; B=$'\033[1m'; G=$'\033[32m'; Y=$'\033[33m'; R=$'\033[31m'; D=$'\033[2m'; N=$'\033[0m'
else
  IS_TTY=0; B=''; G=''; Y=''; R=''; D=''; N=''
fi
say()  { printf '%s==>%s %s\n' "$B" "$N" "$*"; }
ok()   { printf '%s  ok%s %s\n' "$G" "$N" "$*"; }
warn() { printf '%swarn%s %s\n' "$Y" "$N" "$*" >&2; }
err()  { printf '%serror%s %s\n' "$R" "$N" "$*" >&2; }
die()  { err "$*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

T0=$SECONDS
elapsed() { echo $((SECONDS - T0)); }

now_ms() {
  local t
  t="$(date +%s%3N 2>/dev/null || true)"
  case "$t" in
    *N*|'') echo $(( $(date +%s) * 1000 )) ;;
    *) echo "$t" ;;
  esac
}
fmt_ms() { # 12345 -> 12.3s
  local ms=$1
  printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

usage() {
  cat <<EOF
Usage: ./run-platform.sh [options]

Runs the CloudNexus platform locally: a single-node Apache Kafka (KRaft) broker, the
compute, cluster, billing and webhook services and the api-gateway, against a local
PostgreSQL (which must already be running). Stays in the foreground; Ctrl-C stops all.

Options:
  (none)          build what is missing, start everything, wait until ready, stay in foreground
  --rebuild       run './mvnw -B -q -DskipTests install' even if the service jars exist
  --detach        start everything, wait until ready, print the summary and return
                  (same as CN_DETACH=1); stop it later with --stop
  --infra-only    only Kafka (+ topics), the PostgreSQL check/databases and the identity keys
                  (no build, no services); combine with --detach to leave Kafka running
  --restart       stop a run left in the background first, then start
  --reset         start from empty data: drop and recreate the cloudnexus_* databases, delete
                  the Kafka data and the demo credentials (keeps the jars and the keys)
  --stop          stop a run left in the background (or a foreground run in another terminal)
  --status        show what is running and whether it is ready
  -h, --help      this text

Environment (defaults in brackets):
  CN_GATEWAY_PORT [8080]  CN_COMPUTE_PORT [8081]  CN_CLUSTER_PORT [8082]
  CN_BILLING_PORT [8083]  CN_WEBHOOK_PORT [8084]
  CN_HTTP_HOST [127.0.0.1]  interface the services listen on (0.0.0.0 = all)
  CN_KAFKA_PORT [9092]    CN_KAFKA_CONTROLLER_PORT [9093]   CN_KAFKA_HEAP [-Xmx512m]
  CN_DB_HOST [127.0.0.1]  CN_DB_PORT [5432]  CN_DB_USER [postgres]  CN_DB_PASSWORD [empty]
  CN_JVM_OPTS [-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError]
  CN_EXTRA_OPTS [empty]   extra JVM options / -Dkey=value for every service
  CN_GATEWAY_OPTS, CN_COMPUTE_OPTS, CN_CLUSTER_OPTS, CN_BILLING_OPTS, CN_WEBHOOK_OPTS
                          extra JVM options for one service
  CN_READY_TIMEOUT [180]  seconds to wait for all services to be ready
  CN_KAFKA_TIMEOUT [60]   seconds to wait for Kafka
  CN_STOP_TIMEOUT [20]    seconds to wait after SIGTERM before SIGKILL
  CN_DETACH [0]           1 = like --detach

Files: .local/logs/ (build.log, kafka.log, <service>.log), .local/pids/, .local/kafka/
(lib, data), .local/keys/ (identity key pair), .local/demo-credentials.env.
EOF
}

# ----------------------------------------------------------------------------- service table
svc_port() {
  case "$1" in
    api-gateway) echo "$CN_GATEWAY_PORT" ;;
    compute-service) echo "$CN_COMPUTE_PORT" ;;
    cluster-service) echo "$CN_CLUSTER_PORT" ;;
    billing-service) echo "$CN_BILLING_PORT" ;;
    webhook-service) echo "$CN_WEBHOOK_PORT" ;;
    *) die "unknown service $1" ;;
  esac
}
svc_short() { # api-gateway -> gateway, compute-service -> compute
  case "$1" in
    api-gateway) echo gateway ;;
    *) echo "${1%-service}" ;;
  esac
}
svc_extra_opts() {
  case "$1" in
    api-gateway) echo "${CN_GATEWAY_OPTS:-}" ;;
    compute-service) echo "${CN_COMPUTE_OPTS:-}" ;;
    cluster-service) echo "${CN_CLUSTER_OPTS:-}" ;;
    billing-service) echo "${CN_BILLING_OPTS:-}" ;;
    webhook-service) echo "${CN_WEBHOOK_OPTS:-}" ;;
  esac
}
svc_jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

# ----------------------------------------------------------------------------- processes
pid_of() { # name -> pid from the pid file, or nothing
  local f="$PIDS/$1.pid"
  [ -f "$f" ] || return 0
  tr -dc '0-9' <"$f" || true
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
# is pid alive AND still the process we started (guards against pid reuse)?
pid_matches() { # pid pattern
  local pid=$1 pattern=$2 args
  alive "$pid" || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    args="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  else
    args="$(ps -ww -p "$pid" -o args= 2>/dev/null || true)"
  fi
  case "$args" in
    *"$pattern"*) return 0 ;;
    *) return 1 ;;
  esac
}
proc_pattern() { # name -> what its command line contains
  case "$1" in
    kafka) echo "kafka.Kafka" ;;
    run-platform) echo "run-platform" ;;
    *) svc_jar "$1" ;;
  esac
}
is_running() { pid_matches "$(pid_of "$1")" "$(proc_pattern "$1")"; }

port_open() { # host port -> 0 if something accepts connections
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

rotate_log() {
  if [ -f "$1" ]; then mv -f "$1" "$1.1"; fi
}

# start a command in the background in its own session (so a terminal Ctrl-C reaches only
# this script, which then stops everything in order) and record its pid.
start_bg() { # name logfile command...
  local name=$1 log=$2 pid
  shift 2
  rotate_log "$log"
  if have setsid; then
    setsid "$@" </dev/null >"$log" 2>&1 &
  else
    nohup "$@" </dev/null >"$log" 2>&1 &
  fi
  pid=$!
  echo "$pid" >"$PIDS/$name.pid"
  LAUNCHED="$LAUNCHED $name"
}

# SIGTERM the named processes together, wait up to CN_STOP_TIMEOUT, then SIGKILL.
stop_procs() { # names...
  local name pid entry left waited=0 pids=""
  for name in "$@"; do
    if is_running "$name"; then
      pid="$(pid_of "$name")"
      kill -TERM "$pid" 2>/dev/null || true
      pids="$pids $name:$pid"
    fi
    [ "$name" = run-platform ] || rm -f "$PIDS/$name.pid"
  done
  [ -n "$pids" ] || return 0
  while :; do
    left=""
    for entry in $pids; do
      pid="${entry#*:}"
      if alive "$pid"; then left="$left $entry"; fi
    done
    [ -n "$left" ] || break
    if [ "$waited" -ge $((CN_STOP_TIMEOUT * 10)) ]; then
      for entry in $left; do
        warn "${entry%%:*} did not stop within ${CN_STOP_TIMEOUT}s: SIGKILL"
        kill -KILL "${entry#*:}" 2>/dev/null || true
      done
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  for entry in $pids; do printf '%s  stopped%s %s\n' "$D" "$N" "${entry%%:*}"; done
}

stop_all() {
  # services first (they flush to Kafka / Postgres on shutdown), then the broker
  # shellcheck disable=SC2086
  stop_procs $SERVICES
  stop_procs kafka
}

running_names() {
  local name out=""
  for name in kafka $SERVICES; do
    if is_running "$name"; then out="$out $name"; fi
  done
  echo "${out# }"
}

# ----------------------------------------------------------------------------- --stop / --status
cmd_stop() {
  mkdir -p "$PIDS"
  local runner waited=0
  runner="$(pid_of run-platform)"
  if [ -n "$runner" ] && [ "$runner" != "$$" ] && pid_matches "$runner" run-platform; then
    say "asking the foreground run-platform.sh (pid $runner) to stop everything"
    kill -TERM "$runner" 2>/dev/null || true
    while alive "$runner" && [ "$waited" -lt $(((CN_STOP_TIMEOUT + 40) * 10)) ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
  fi
  rm -f "$RUNNER_PID_FILE"
  if [ -z "$(running_names)" ]; then
    rm -f "$PIDS"/*.pid
    say "nothing is running"
    return 0
  fi
  say "stopping: $(running_names)"
  stop_all
  rm -f "$PIDS"/*.pid
  say "stopped"
}

cmd_status() {
  local name port code
  if is_running kafka; then
    printf '  %-16s running (pid %s), 127.0.0.1:%s\n' kafka "$(pid_of kafka)" "$CN_KAFKA_PORT"
  else
    printf '  %-16s stopped\n' kafka
  fi
  for name in $SERVICES; do
    port="$(svc_port "$name")"
    if is_running "$name"; then
      code="$(health_code "$port")"
      if [ "$code" = 200 ]; then code=ready; else code="not ready ($code)"; fi
      printf '  %-16s running (pid %s), http://127.0.0.1:%s  %s\n' "$name" "$(pid_of "$name")" "$port" "$code"
    else
      printf '  %-16s stopped\n' "$name"
    fi
  done
}

health_code() { # port -> HTTP status of /q/health/ready (000 if no answer)
  curl -s -o /dev/null -w '%{http_code}' --connect-timeout 1 --max-time 3 \
    "http://127.0.0.1:$1/q/health/ready" 2>/dev/null || true
}

# ----------------------------------------------------------------------------- prerequisites
JAVA=""
check_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
  elif have java; then
    JAVA="$(command -v java)"
  else
    die "java not found. Install a JDK 17 or newer (e.g. 'sudo apt-get install openjdk-17-jdk-headless' or 'brew install openjdk@17') and put it on PATH (or set JAVA_HOME)."
  fi
  local line version major
  line="$("$JAVA" -version 2>&1 | head -n 1)"
  version="$(printf '%s' "$line" | sed -n 's/.*version "\([^"]*\)".*/\1/p')"
  case "$version" in
    1.*) major="$(printf '%s' "$version" | cut -d. -f2)" ;;
    *) major="$(printf '%s' "$version" | sed 's/[^0-9].*//')" ;;
  esac
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    die "Java 17 or newer is required; $JAVA is: $line. Install JDK 17+ and put it on PATH (or set JAVA_HOME)."
  fi
  ok "java $version ($JAVA)"
}

check_tools() {
  have curl || die "curl is required (readiness checks). Install it: 'sudo apt-get install curl' / 'brew install curl'."
}

# ----------------------------------------------------------------------------- build
build_if_needed() {
  local name missing=""
  for name in $SERVICES; do
    [ -f "$(svc_jar "$name")" ] || missing="$missing $name"
  done
  if [ "$REBUILD" != 1 ] && [ -z "$missing" ]; then
    local oldest="" changed=""
    for name in $SERVICES; do
      if [ -z "$oldest" ] || [ "$(svc_jar "$name")" -ot "$oldest" ]; then oldest="$(svc_jar "$name")"; fi
    done
    local path
    for path in "$ROOT"/pom.xml "$ROOT"/*/pom.xml "$ROOT"/*/src; do
      [ -e "$path" ] || continue
      changed="$(find "$path" -type f -newer "$oldest" -print 2>/dev/null | head -n 1 || true)"
      [ -z "$changed" ] || break
    done
    if [ -n "$changed" ]; then
      warn "sources changed since the last build (e.g. ${changed#"$ROOT"/}): using the existing jars; pass --rebuild to rebuild"
    else
      ok "service jars present and up to date (pass --rebuild to rebuild)"
    fi
    return 0
  fi
  local why="--rebuild"
  [ -z "$missing" ] || why="missing:$missing"
  local log="$LOGS/build.log" start
  start=$(now_ms)
  say "building (./mvnw -B -q -DskipTests install; $why) ... log: ${log#"$ROOT"/}"
  rotate_log "$log"
  if ! (cd "$ROOT" && ./mvnw -B -q -DskipTests install) >"$log" 2>&1; then
    err "build failed; last lines of $log:"
    tail -n 40 "$log" >&2 || true
    exit 1
  fi
  for name in $SERVICES; do
    [ -f "$(svc_jar "$name")" ] || die "build finished but $(svc_jar "$name") is missing (see $log)"
  done
  ok "built in $(fmt_ms $(($(now_ms) - start)))"
}

# ----------------------------------------------------------------------------- kafka
kafka_java() { # the tools log through slf4j-simple to stderr: keep them quiet
  "$JAVA" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dlog4j2.level=warn -cp "$KAFKA_LIB/*" "$@"
}

ensure_kafka_lib() {
  local stamp="$KAFKA_LIB/.complete" want
  want="$(cksum <"$KAFKA_POM")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && ls "$KAFKA_LIB"/kafka_2.13-*.jar >/dev/null 2>&1; then
    return 0
  fi
  local log="$LOGS/kafka-lib.log" tmp="$KAFKA_HOME/lib.tmp" start
  start=$(now_ms)
  say "downloading the Kafka broker jars (maven, deploy/local/kafka/pom.xml) ... log: ${log#"$ROOT"/}"
  rm -rf "$tmp"
  if ! (cd "$ROOT" && ./mvnw -B -q -f "$KAFKA_POM" dependency:copy-dependencies -Dkafka.lib.dir="$tmp") >"$log" 2>&1; then
    err "could not fetch the Kafka jars; last lines of $log:"
    tail -n 30 "$log" >&2 || true
    exit 1
  fi
  rm -rf "$KAFKA_LIB"
  mv "$tmp" "$KAFKA_LIB"
  printf '%s\n' "$want" >"$stamp"
  ok "Kafka jars in ${KAFKA_LIB#"$ROOT"/} ($(find "$KAFKA_LIB" -name '*.jar' | wc -l | tr -d ' ') jars, $(fmt_ms $(($(now_ms) - start))))"
}

write_kafka_props() {
  mkdir -p "$KAFKA_LOG_DIR"
  sed -e "s#@KAFKA_PORT@#$CN_KAFKA_PORT#g" \
      -e "s#@CONTROLLER_PORT@#$CN_KAFKA_CONTROLLER_PORT#g" \
      -e "s#@DATA_DIR@#$KAFKA_LOG_DIR#g" \
      "$KAFKA_TEMPLATE" >"$KAFKA_PROPS"
}

format_kafka_storage() {
  if [ -f "$KAFKA_LOG_DIR/meta.properties" ]; then
    ok "Kafka storage already formatted (cluster $(cat "$KAFKA_CLUSTER_ID_FILE" 2>/dev/null || echo '?')), reusing ${KAFKA_DATA#"$ROOT"/}"
    return 0
  fi
  local id
  if [ -s "$KAFKA_CLUSTER_ID_FILE" ]; then
    id="$(cat "$KAFKA_CLUSTER_ID_FILE")"
  else
    id="$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka-format.log" | tail -n 1)"
    [ -n "$id" ] || die "kafka.tools.StorageTool random-uuid failed (see $LOGS/kafka-format.log)"
    printf '%s\n' "$id" >"$KAFKA_CLUSTER_ID_FILE"
  fi
  if ! kafka_java kafka.tools.StorageTool format -t "$id" -c "$KAFKA_PROPS" >>"$LOGS/kafka-format.log" 2>&1; then
    err "formatting the Kafka storage failed:"
    tail -n 20 "$LOGS/kafka-format.log" >&2 || true
    exit 1
  fi
  ok "Kafka storage formatted (cluster $id)"
}

start_kafka() {
  local start
  start=$(now_ms)
  if port_open 127.0.0.1 "$CN_KAFKA_PORT" || port_open 127.0.0.1 "$CN_KAFKA_CONTROLLER_PORT"; then
    die "port $CN_KAFKA_PORT or $CN_KAFKA_CONTROLLER_PORT is already in use by another process (not started by this script). Stop it, or choose other ports with CN_KAFKA_PORT / CN_KAFKA_CONTROLLER_PORT."
  fi
  say "starting Kafka on 127.0.0.1:$CN_KAFKA_PORT ... log: ${LOGS#"$ROOT"/}/kafka.log"
  # shellcheck disable=SC2086  # CN_KAFKA_HEAP may hold several options
  start_bg kafka "$LOGS/kafka.log" "$JAVA" $CN_KAFKA_HEAP -XX:+UseSerialGC \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_PROPS"
  STARTED=1
  local pid deadline
  pid="$(pid_of kafka)"
  deadline=$((SECONDS + CN_KAFKA_TIMEOUT))
  until port_open 127.0.0.1 "$CN_KAFKA_PORT"; do
    if ! alive "$pid"; then
      err "Kafka exited during startup; last lines of $LOGS/kafka.log:"
      tail -n 30 "$LOGS/kafka.log" >&2 || true
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      err "Kafka did not open port $CN_KAFKA_PORT within ${CN_KAFKA_TIMEOUT}s; last lines of $LOGS/kafka.log:"
      tail -n 30 "$LOGS/kafka.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  ok "Kafka accepts connections ($(fmt_ms $(($(now_ms) - start))))"
  create_topics
  KAFKA_READY_MS=$(($(now_ms) - start))
  ok "Kafka ready with topics in $(fmt_ms "$KAFKA_READY_MS")"
}

create_topics() {
  local existing topic missing="" pids="" p failed=0
  if ! existing="$(kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$CN_KAFKA_PORT" --list 2>>"$LOGS/kafka-topics.log")"; then
    err "listing Kafka topics failed; see $LOGS/kafka-topics.log"
    tail -n 20 "$LOGS/kafka-topics.log" >&2 || true
    exit 1
  fi
  for topic in $TOPICS; do
    if ! printf '%s\n' "$existing" | grep -qx "$topic"; then missing="$missing $topic"; fi
  done
  if [ -z "$missing" ]; then
    ok "topics exist: $TOPICS"
    return 0
  fi
  # one JVM per topic (TopicCommand creates one topic a call): run them side by side
  for topic in $missing; do
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$CN_KAFKA_PORT" \
      --create --if-not-exists --topic "$topic" --partitions "$TOPIC_PARTITIONS" --replication-factor 1 \
      >>"$LOGS/kafka-topics.log" 2>&1 &
    pids="$pids $!"
  done
  for p in $pids; do wait "$p" || failed=1; done
  if [ "$failed" = 1 ]; then
    err "creating Kafka topics failed; see $LOGS/kafka-topics.log"
    tail -n 20 "$LOGS/kafka-topics.log" >&2 || true
    exit 1
  fi
  ok "topics created:$missing ($TOPIC_PARTITIONS partitions each)"
}

# ----------------------------------------------------------------------------- postgres
pg_env() { # run a command with PGPASSWORD set when a password is configured
  if [ -n "$CN_DB_PASSWORD" ]; then PGPASSWORD="$CN_DB_PASSWORD" "$@"; else "$@"; fi
}

postgres_hint() {
  err "no PostgreSQL server answers at $CN_DB_HOST:$CN_DB_PORT (user $CN_DB_USER)."
  {
    echo "  Start one, then run this script again. For example:"
    if have pg_lsclusters; then
      echo "    Debian/Ubuntu:  sudo pg_ctlcluster --skip-systemctl-redirect <version> main start"
      echo "                    (clusters on this machine:)"
      pg_lsclusters 2>/dev/null | sed 's/^/                      /' || true
    else
      echo "    Debian/Ubuntu:  sudo pg_ctlcluster <version> main start   (pg_lsclusters lists versions)"
    fi
    echo "    macOS:          brew services start postgresql@16"
    echo "    Docker:         docker run -d --name cloudnexus-pg -p $CN_DB_PORT:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16"
    echo "  Or point the script at another server: CN_DB_HOST, CN_DB_PORT, CN_DB_USER, CN_DB_PASSWORD."
  } >&2
  exit 1
}

check_postgres() {
  local rc=0 tries=0
  if have pg_isready; then
    while :; do
      rc=0
      pg_isready -q -h "$CN_DB_HOST" -p "$CN_DB_PORT" -U "$CN_DB_USER" -t 3 || rc=$?
      # 1 = server is starting up / rejecting: give it a few seconds
      if [ "$rc" = 1 ] && [ "$tries" -lt 10 ]; then tries=$((tries + 1)); sleep 1; continue; fi
      break
    done
    [ "$rc" = 0 ] || postgres_hint
  elif have psql; then
    pg_env psql -h "$CN_DB_HOST" -p "$CN_DB_PORT" -U "$CN_DB_USER" -d postgres -tAq -c 'select 1' >/dev/null 2>&1 || postgres_hint
  else
    port_open "$CN_DB_HOST" "$CN_DB_PORT" || postgres_hint
  fi
  ok "PostgreSQL answers at $CN_DB_HOST:$CN_DB_PORT"
}

reset_data() {
  say "--reset: dropping the databases and the Kafka data"
  if have psql; then
    local db out
    for db in $DATABASES; do
      if ! out="$(pg_env psql -h "$CN_DB_HOST" -p "$CN_DB_PORT" -U "$CN_DB_USER" -d postgres -tAq -v ON_ERROR_STOP=1 \
          -c "drop database if exists $db with (force)" 2>&1)"; then
        die "could not drop database $db: $out"
      fi
    done
    ok "dropped: $DATABASES"
  else
    warn "psql not found: the databases were not dropped"
  fi
  rm -rf "$KAFKA_DATA" "$DEMO_CREDENTIALS"
  ok "deleted ${KAFKA_DATA#"$ROOT"/} and ${DEMO_CREDENTIALS#"$ROOT"/}"
}

ensure_databases() {
  if ! have psql; then
    warn "psql not found: cannot check/create the databases ($DATABASES); create them yourself if missing"
    return 0
  fi
  local existing db created="" out
  if ! existing="$(pg_env psql -h "$CN_DB_HOST" -p "$CN_DB_PORT" -U "$CN_DB_USER" -d postgres -tAq -v ON_ERROR_STOP=1 \
      -c "select datname from pg_database" 2>&1)"; then
    die "cannot query PostgreSQL as $CN_DB_USER: $existing (set CN_DB_USER / CN_DB_PASSWORD)"
  fi
  for db in $DATABASES; do
    if ! printf '%s\n' "$existing" | grep -qx "$db"; then
      if ! out="$(pg_env psql -h "$CN_DB_HOST" -p "$CN_DB_PORT" -U "$CN_DB_USER" -d postgres -tAq -v ON_ERROR_STOP=1 \
          -c "create database $db" 2>&1)"; then
        die "could not create database $db: $out"
      fi
      created="$created $db"
    fi
  done
  if [ -n "$created" ]; then ok "databases created:$created"; else ok "databases exist: $DATABASES"; fi
}

# ----------------------------------------------------------------------------- identity keys
ensure_keys() {
  mkdir -p "$KEYS"
  chmod 700 "$KEYS" 2>/dev/null || true
  if [ -s "$PRIVATE_KEY" ] && [ -s "$PUBLIC_KEY" ]; then
    ok "identity keys present (${KEYS#"$ROOT"/})"
    return 0
  fi
  have openssl || die "openssl is required to generate the identity key pair ('sudo apt-get install openssl' / 'brew install openssl')"
  local tmp="$PRIVATE_KEY.tmp"
  rm -f "$tmp"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp" 2>/dev/null) \
    || die "openssl genpkey failed"
  chmod 600 "$tmp"
  openssl pkey -in "$tmp" -pubout -out "$PUBLIC_KEY" 2>/dev/null || die "openssl pkey -pubout failed"
  mv -f "$tmp" "$PRIVATE_KEY"
  chmod 644 "$PUBLIC_KEY"
  ok "identity keys generated: ${PRIVATE_KEY#"$ROOT"/} (PKCS#8, 600), ${PUBLIC_KEY#"$ROOT"/}"
}

# ----------------------------------------------------------------------------- services
start_service() {
  local name=$1 port short args
  port="$(svc_port "$name")"
  short="$(svc_short "$name")"
  args=()
  local opt
  # word splitting of the option strings is intended
  for opt in $CN_JVM_OPTS; do args+=("$opt"); done
  args+=(
    "-Dquarkus.http.port=$port"
    "-Dquarkus.http.host=$CN_HTTP_HOST"
    "-Dkafka.bootstrap.servers=127.0.0.1:$CN_KAFKA_PORT"
    "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://$CN_DB_HOST:$CN_DB_PORT/cloudnexus_$short"
    "-Dquarkus.datasource.username=$CN_DB_USER"
    "-Dquarkus.datasource.password=$CN_DB_PASSWORD"
    "-Dcloudnexus.identity.public-key-location=file:$PUBLIC_KEY"
  )
  case "$name" in
    api-gateway)
      args+=(
        "-Dcloudnexus.identity.signing-key-location=file:$PRIVATE_KEY"
        "-Dcloudnexus.gateway.routes.compute=http://127.0.0.1:$CN_COMPUTE_PORT"
        "-Dcloudnexus.gateway.routes.cluster=http://127.0.0.1:$CN_CLUSTER_PORT"
        "-Dcloudnexus.gateway.routes.billing=http://127.0.0.1:$CN_BILLING_PORT"
        "-Dcloudnexus.gateway.routes.webhook=http://127.0.0.1:$CN_WEBHOOK_PORT"
        "-Dcloudnexus.gateway.demo.enabled=true"
        "-Dcloudnexus.gateway.demo.credentials-file=$DEMO_CREDENTIALS"
      )
      ;;
    webhook-service)
      args+=(
        "-Dcloudnexus.webhooks.outbound.allow-http=true"
        "-Dcloudnexus.webhooks.outbound.allow-private=true"
        # local runs only: the AES key for endpoint secrets is generated once (0600) under .local/
        "-Dcloudnexus.webhooks.secret-key-file-fallback=true"
        "-Dcloudnexus.webhooks.secret-key-file=$LOCAL/webhook-secret.key"
      )
      ;;
  esac
  for opt in $CN_EXTRA_OPTS; do args+=("$opt"); done
  for opt in $(svc_extra_opts "$name"); do args+=("$opt"); done
  start_bg "$name" "$LOGS/$name.log" "$JAVA" "${args[@]}" -jar "$(svc_jar "$name")"
  STARTED=1
}

check_service_ports() {
  local name port
  for name in $SERVICES; do
    port="$(svc_port "$name")"
    if port_open 127.0.0.1 "$port"; then
      die "port $port (for $name) is already in use by another process. Stop it, or choose another port with CN_$(svc_short "$name" | tr '[:lower:]' '[:upper:]')_PORT."
    fi
  done
}

# the first ERROR line (often the root cause) and the last 30 lines of a service log
show_failure() { # name
  local log="$LOGS/$1.log" first
  first="$(grep -m 1 -E '(^|[[:space:]])(ERROR|FATAL)[[:space:]]' "$log" 2>/dev/null || true)"
  if [ -n "$first" ]; then printf '  first error: %s\n' "$first" >&2; fi
  printf '%s---- last 30 lines of %s ----%s\n' "$D" "$log" "$N" >&2
  tail -n 30 "$log" >&2 2>/dev/null || true
  printf '%s----%s\n' "$D" "$N" >&2
  if grep -q -E 'FlywayValidateException|Migration checksum mismatch|applied migration not resolved' "$log" 2>/dev/null; then
    printf '  hint: the database holds migrations from an older build of %s; during development\n' "$1" >&2
    printf '        start over with: %s --reset   (drops the cloudnexus_* databases and the Kafka data)\n' "$0" >&2
  fi
}

# poll /q/health/ready of every service until all answer 200
wait_for_services() {
  local start deadline name port code ready waiting last_line="" last_print=0 line pid dead
  start=$(now_ms)
  deadline=$((SECONDS + CN_READY_TIMEOUT))
  while :; do
    ready=""; waiting=""; dead=""
    for name in $SERVICES; do
      pid="$(pid_of "$name")"
      if ! alive "$pid"; then dead="$dead $name"; continue; fi
      port="$(svc_port "$name")"
      code="$(health_code "$port")"
      if [ "$code" = 200 ]; then ready="$ready $name"; else waiting="$waiting $name"; fi
    done
    local secs=$((($(now_ms) - start) / 1000))
    line="[${secs}s] ready:${ready:- -}  waiting:${waiting:- -}${dead:+  EXITED:$dead}"
    if [ "$IS_TTY" = 1 ]; then
      printf '\r\033[K%s' "$line"
    elif [ "$line" != "$last_line" ] && { [ "${line#*]}" != "${last_line#*]}" ] || [ $((SECONDS - last_print)) -ge 10 ]; }; then
      printf '%s\n' "$line"; last_print=$SECONDS
    fi
    last_line="$line"
    if [ -n "$dead" ]; then
      [ "$IS_TTY" = 0 ] || printf '\n'
      for name in $dead; do
        err "$name exited during startup (log: $LOGS/$name.log)"
        show_failure "$name"
      done
      exit 1
    fi
    if [ -z "$waiting" ]; then
      [ "$IS_TTY" = 0 ] || printf '\n'
      SERVICES_READY_MS=$(($(now_ms) - start))
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      [ "$IS_TTY" = 0 ] || printf '\n'
      for name in $waiting; do
        err "$name not ready after ${CN_READY_TIMEOUT}s (CN_READY_TIMEOUT; health: $(health_code "$(svc_port "$name")"), log: $LOGS/$name.log)"
        show_failure "$name"
      done
      exit 1
    fi
    sleep 1
  done
}

print_summary() {
  local gw="http://127.0.0.1:$CN_GATEWAY_PORT" name acc="" key=""
  echo
  printf '%sCloudNexus is ready%s in %s (services %s after launch; Kafka %s)\n' "$G$B" "$N" \
    "$(elapsed)s total" "$(fmt_ms "$SERVICES_READY_MS")" "$(fmt_ms "$KAFKA_READY_MS")"
  echo
  printf '  %-18s %s\n' "Gateway (API):" "$gw"
  if [ "$(curl -s -L -o /dev/null -w '%{http_code}' --max-time 5 "$gw/q/swagger-ui/" 2>/dev/null || true)" = 200 ]; then
    printf '  %-18s %s\n' "API docs:" "$gw/q/swagger-ui"
  else
    printf '  %-18s %s\n' "API docs:" "$gw/q/swagger-ui  (not served by this gateway build: it needs quarkus.swagger-ui.always-include=true)"
  fi
  printf '  %-18s %s\n' "OpenAPI:" "$gw/q/openapi"
  for name in $SERVICES; do
    [ "$name" = api-gateway ] && continue
    printf '  %-18s %s\n' "$name:" "http://127.0.0.1:$(svc_port "$name")  (health: /q/health/ready, metrics: /q/metrics)"
  done
  printf '  %-18s %s\n' "Kafka:" "127.0.0.1:$CN_KAFKA_PORT  (topics: $TOPICS)"
  printf '  %-18s %s\n' "PostgreSQL:" "$CN_DB_HOST:$CN_DB_PORT  (databases: $DATABASES)"
  printf '  %-18s %s\n' "Logs:" "$LOGS/"
  echo
  if [ -f "$DEMO_CREDENTIALS" ]; then
    acc="$(sed -n 's/^CN_ACCOUNT_ID=//p' "$DEMO_CREDENTIALS" | head -n 1)"
    key="$(sed -n 's/^CN_API_KEY=//p' "$DEMO_CREDENTIALS" | head -n 1)"
  fi
  if [ -n "$acc" ] && [ -n "$key" ]; then
    echo "  Demo account ($DEMO_CREDENTIALS):"
    sed 's/^/    /' "$DEMO_CREDENTIALS"
    echo
    echo "  Try it:"
    echo "    curl -X POST $gw/v2/servers -H \"Authorization: Bearer $key\" -H \"X-CloudNexus-Id: $acc\" -H \"Content-Type: application/json\" -d '{\"region\":\"us-east-1\",\"plan\":\"professional\",\"image\":\"ubuntu-22.04\",\"count\":2}'"
  else
    echo "  note: no demo credentials in $DEMO_CREDENTIALS (the gateway writes them when it creates"
    echo "        the demo account); create an account and API key through the gateway API instead. Then:"
    echo "    curl -X POST $gw/v2/servers -H \"Authorization: Bearer \$CN_API_KEY\" -H \"X-CloudNexus-Id: \$CN_ACCOUNT_ID\" -H \"Content-Type: application/json\" -d '{\"region\":\"us-east-1\",\"plan\":\"professional\",\"image\":\"ubuntu-22.04\",\"count\":2}'"
  fi
  echo
}

# ----------------------------------------------------------------------------- lifecycle
STARTED=0
LAUNCHED=""
DETACHED=0
SHUTTING_DOWN=0
KAFKA_READY_MS=0
SERVICES_READY_MS=0

shutdown() {
  [ "$SHUTTING_DOWN" = 0 ] || return 0
  SHUTTING_DOWN=1
  # the terminal or a pipe reader (| tee) may be gone already: writing must not abort the cleanup
  trap '' INT TERM HUP PIPE
  set +e
  if [ "$STARTED" = 1 ]; then
    [ "$IS_TTY" = 0 ] || printf '\n'
    say "stopping everything"
    stop_all
  fi
  if [ "$(pid_of run-platform)" = "$$" ]; then rm -f "$RUNNER_PID_FILE"; fi
}
on_exit() {
  local rc=$?
  if [ "$DETACHED" = 1 ]; then return 0; fi
  shutdown
  exit "$rc"
}
on_signal() {
  shutdown
  say "all stopped"
  exit 0
}

# watch the processes while in the foreground; report (once) one that dies
supervise() {
  local name reported=""
  while :; do
    for name in $LAUNCHED; do
      case " $reported " in *" $name "*) continue ;; esac
      if ! alive "$(pid_of "$name")"; then
        reported="$reported $name"
        warn "$name has exited (log: $LOGS/$name.log)"
        show_failure "$name"
        warn "the rest keeps running; Ctrl-C stops everything"
      fi
    done
    sleep 2
  done
}

# ----------------------------------------------------------------------------- main
MODE=run
REBUILD=0
INFRA_ONLY=0
RESTART=0
RESET=0
case "$CN_DETACH" in 1|true|yes) DETACH=1 ;; *) DETACH=0 ;; esac
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) REBUILD=1 ;;
    --detach|-d) DETACH=1 ;;
    --infra-only) INFRA_ONLY=1 ;;
    --restart) RESTART=1 ;;
    --reset) RESET=1 ;;
    --stop) MODE=stop ;;
    --status) MODE=status ;;
    -h|--help) usage; exit 0 ;;
    *) err "unknown option: $1"; usage >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$LOGS" "$PIDS" "$KAFKA_HOME"

case "$MODE" in
  stop) cmd_stop; exit 0 ;;
  status) cmd_status; exit 0 ;;
esac

# a previous run left processes?
if [ -n "$(running_names)" ]; then
  if [ "$RESTART" = 1 ]; then
    cmd_stop
  else
    runner="$(pid_of run-platform)"
    if [ -n "$runner" ] && pid_matches "$runner" run-platform; then
      die "the platform is already running (run-platform.sh pid $runner: $(running_names)). Stop it with Ctrl-C there or './run-platform.sh --stop', or use --restart."
    fi
    die "a previous run is still running ($(running_names)). Stop it with './run-platform.sh --stop' or start with --restart."
  fi
fi
rm -f "$PIDS"/*.pid

trap on_exit EXIT
trap on_signal INT TERM HUP
echo "$$" >"$RUNNER_PID_FILE"

say "CloudNexus local platform (repo: $ROOT)"
check_java
check_tools
[ "$INFRA_ONLY" = 1 ] || build_if_needed
check_postgres
[ "$RESET" != 1 ] || reset_data
ensure_databases
ensure_keys
[ "$INFRA_ONLY" = 1 ] || check_service_ports
ensure_kafka_lib
write_kafka_props
format_kafka_storage
start_kafka

if [ "$INFRA_ONLY" = 1 ]; then
  echo
  printf '%sInfrastructure is ready%s in %ss (Kafka %s)\n' "$G$B" "$N" "$(elapsed)" "$(fmt_ms "$KAFKA_READY_MS")"
  printf '  %-12s %s\n' "Kafka:" "127.0.0.1:$CN_KAFKA_PORT (topics: $TOPICS)"
  printf '  %-12s %s\n' "Kafka tools:" "java -cp '$KAFKA_LIB/*' org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$CN_KAFKA_PORT --list"
  printf '  %-12s %s\n' "PostgreSQL:" "$CN_DB_HOST:$CN_DB_PORT (databases: $DATABASES)"
  printf '  %-12s %s\n' "Keys:" "$KEYS/"
  printf '  %-12s %s\n' "Logs:" "$LOGS/"
else
  say "starting services: $SERVICES ... logs: $LOGS/<service>.log"
  for name in $SERVICES; do start_service "$name"; done
  wait_for_services
  print_summary
fi

if [ "$DETACH" = 1 ]; then
  DETACHED=1
  rm -f "$RUNNER_PID_FILE"
  echo "Running in the background. Stop with: $ROOT/run-platform.sh --stop"
  exit 0
fi

echo "Press Ctrl-C to stop everything."
supervise
