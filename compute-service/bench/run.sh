#!/usr/bin/env bash
# compute-service benchmark: outbox relay publish rate and POST /servers latency at a steady rate.
# Packages compute-service (Quarkus fast-jar), then runs io.cloudnexus.compute.bench.ComputeBenchmark, which
# starts an in-JVM Kafka broker, uses the local PostgreSQL (databases cn_bench_relay, cn_bench_compute) and
# runs the packaged service in its own JVM. Not part of the test suite.
# Options (system properties): -Dbench.events=50000 -Dbench.rate=200 -Dbench.seconds=30 -Dbench.warmup=10
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl compute-service -am install -DskipTests
./mvnw -B -q -pl compute-service org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=io.cloudnexus.compute.bench.ComputeBenchmark -Dexec.classpathScope=test \
  -Dexec.cleanupDaemonThreads=false "$@" 2>&1 | grep -E '^(RELAY|CREATE|relay |create |context)' 
