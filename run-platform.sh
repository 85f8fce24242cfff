#!/usr/bin/env bash
# run-platform.sh -- run the whole CloudNexus platform on this machine with one command.
# A thin wrapper: it checks for Java 17+, builds what is missing (Maven wrapper, tests skipped),
# then hands over to the launcher (launcher/, io.cloudnexus.launcher.Launcher), which starts and
# supervises Kafka, PostgreSQL (embedded when none answers) and the five services.
#
#   ./run-platform.sh              build if needed, start everything, wait, stay in foreground
#   ./run-platform.sh --help       all options and environment variables
#
# See deploy/local/README.md.
set -euo pipefail

SELF="${BASH_SOURCE[0]}"
while [ -L "$SELF" ]; do # follow symlinks to the script (e.g. ~/bin/cloudnexus -> repo/run-platform.sh)
  LINK="$(readlink "$SELF")"
  case "$LINK" in /*) SELF="$LINK" ;; *) SELF="$(dirname "$SELF")/$LINK" ;; esac
done
ROOT="$(cd "$(dirname "$SELF")" && pwd -P)"
LAUNCHER_JAR="$ROOT/launcher/target/cloudnexus-launcher-run.jar"
SERVICES="compute-service cluster-service billing-service webhook-service api-gateway"
LOGS="${CN_LOCAL_DIR:-$ROOT/.local}/logs"

if [ -t 1 ]; then B=$'\033[1m'; G=$'\033[32m'; R=$'\033[31m'; N=$'\033[0m'; else B=''; G=''; R=''; N=''; fi
die() { printf '%serror%s %s\n' "$R" "$N" "$*" >&2; exit 1; }

# ----------------------------------------------------------------------------- java 17+
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then
  JAVA="$(command -v java)"
else
  die "java not found. Install a JDK 17 or newer (e.g. 'sudo apt-get install openjdk-17-jdk-headless' or 'brew install openjdk@17') and put it on PATH (or set JAVA_HOME)."
fi
VERSION="$("$JAVA" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')"
case "$VERSION" in 1.*) MAJOR="$(printf '%s' "$VERSION" | cut -d. -f2)" ;; *) MAJOR="${VERSION%%[!0-9]*}" ;; esac
if [ -z "$MAJOR" ] || [ "$MAJOR" -lt 17 ]; then
  die "Java 17 or newer is required; $JAVA is version '${VERSION:-?}'. Install JDK 17+ and put it on PATH (or set JAVA_HOME)."
fi

# ----------------------------------------------------------------------------- build what is missing
MODULES="launcher"
REBUILD=0
case " $* " in *" --help "*|*" -h "*|*" --stop "*|*" --status "*|*" --infra-only "*) ;; *) MODULES="launcher,${SERVICES// /,}" ;; esac
case " $* " in *" --rebuild "*) REBUILD=1 ;; esac
MISSING=""
for module in ${MODULES//,/ }; do
  case "$module" in
    launcher) [ -f "$LAUNCHER_JAR" ] || MISSING="$MISSING launcher" ;;
    *) [ -f "$ROOT/$module/target/quarkus-app/quarkus-run.jar" ] || MISSING="$MISSING $module" ;;
  esac
done
if [ "$REBUILD" = 1 ] || [ -n "$MISSING" ]; then
  WHY="--rebuild"; [ -z "$MISSING" ] || WHY="missing:$MISSING"
  mkdir -p "$LOGS"
  [ ! -f "$LOGS/build.log" ] || mv -f "$LOGS/build.log" "$LOGS/build.log.1"
  printf '%s==>%s building (./mvnw -B -q -DskipTests package -pl %s -am; %s) ... log: %s\n' "$B" "$N" "$MODULES" "$WHY" "$LOGS/build.log"
  START=$SECONDS
  if ! (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl "$MODULES" -am) >"$LOGS/build.log" 2>&1; then
    printf '%serror%s build failed; last lines of %s:\n' "$R" "$N" "$LOGS/build.log" >&2
    tail -n 40 "$LOGS/build.log" >&2 || true
    exit 1
  fi
  printf '%s  ok%s built in %ss\n' "$G" "$N" "$((SECONDS - START))"
fi

# ----------------------------------------------------------------------------- the launcher
exec "$JAVA" -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$LAUNCHER_JAR" "$@"
