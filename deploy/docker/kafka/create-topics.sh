#!/usr/bin/env bash
# One-shot init step of docker-compose.yml: creates the CloudNexus topics (if missing) on the
# single-node KRaft broker. CN_TOPICS is "name:partitions" separated by spaces; the services
# depend on this step having completed. Replication factor 1: one broker.
set -euo pipefail
: "${CN_KAFKA_BOOTSTRAP:?}" "${CN_TOPICS:?}"
for entry in $CN_TOPICS; do
  topic="${entry%%:*}"
  partitions="${entry##*:}"
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$CN_KAFKA_BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1 \
    --config retention.ms="${CN_TOPIC_RETENTION_MS:-604800000}"
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$CN_KAFKA_BOOTSTRAP" --list
