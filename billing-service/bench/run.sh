#!/usr/bin/env bash
# billing-service benchmark: metering rate of consumed compute events, redelivery (deduplication) rate, and
# invoice finalization time. Packages billing-service (Quarkus fast-jar), then runs
# io.cloudnexus.billing.bench.MeteringBenchmark, which starts an in-JVM Kafka broker, uses the local PostgreSQL
# (database cn_bench_billing) and runs the packaged service in its own JVM. Not part of the test suite.
# Options (system properties): -Dbench.servers=5000 -Dbench.accounts=500
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl billing-service -am install -DskipTests
./mvnw -B -q -pl billing-service org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=io.cloudnexus.billing.bench.MeteringBenchmark -Dexec.classpathScope=test \
  -Dexec.cleanupDaemonThreads=false "$@" 2>&1 | grep -E '^(METER|REDELIVER|FINALIZE)'
