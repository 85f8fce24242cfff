#!/usr/bin/env bash
# cluster-service benchmark: POST /clusters/k8s latency, node-join and publish rate of the simulated cloud, and
# deployment latency and outcome rate. Packages cluster-service (Quarkus fast-jar), then runs
# io.cloudnexus.cluster.bench.ClusterBenchmark, which starts an in-JVM Kafka broker, uses the local PostgreSQL
# (database cn_bench_cluster) and runs the packaged service in its own JVM. Not part of the test suite.
# Options (system properties): -Dbench.clusters=200 -Dbench.nodes=5 -Dbench.deployments=1000 -Dbench.clients=4
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl cluster-service -am install -DskipTests
./mvnw -B -q -pl cluster-service org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=io.cloudnexus.cluster.bench.ClusterBenchmark -Dexec.classpathScope=test \
  -Dexec.cleanupDaemonThreads=false "$@" 2>&1 | grep -E '^(CREATE|JOIN|DEPLOY)'
