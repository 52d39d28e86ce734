#!/bin/bash
# The Kafka broker of docker-compose.yml (apache/kafka image), secured as the local runtime's
# (launcher.ts beside this file; docs/security.md): SASL/SCRAM-SHA-256 for clients, StandardAuthorizer
# with no access without an ACL, the administrator `admin` a super user. The KRaft controller listener
# is PLAINTEXT on localhost inside the container only. `npm run bootstrap` then creates the topics and
# the ACLs of the topic registry as `admin`.
#
# Each principal's SCRAM credentials are written when the storage is first formatted, from
# <PRINCIPAL>_KAFKA_PASSWORD (ADMIN_KAFKA_PASSWORD, TRADE_CAPTURE_KAFKA_PASSWORD, …, OMS_GATEWAY_KAFKA_PASSWORD, …).
#
# TLS: with KAFKA_TLS_KEYSTORE (a PEM file holding the broker's PKCS#8 private key and certificate
# chain; KAFKA_TLS_KEY_PASSWORD if the key is encrypted) the client listener is SASL_SSL instead; clients
# then set KAFKA_SECURITY_PROTOCOL=SASL_SSL and KAFKA_SSL_CA_FILE.
set -euo pipefail

PRINCIPALS="admin trade-capture confirmation-matching settlement ledger compliance reconciliation oms-gateway counterparty-gateway custodian-gateway"
DATA=/var/lib/kafka/data
CONF=/tmp/postrade-server.properties
ADVERTISED_HOST="${KAFKA_ADVERTISED_HOST:-kafka}"

password_of() {
  local variable
  variable="$(echo "$1" | tr 'a-z-' 'A-Z_')_KAFKA_PASSWORD"
  if [ -z "${!variable:-}" ]; then
    echo "compose-broker: $variable is not set" >&2
    exit 1
  fi
  printf '%s' "${!variable}"
}

protocol=SASL_PLAINTEXT
tls=()
if [ -n "${KAFKA_TLS_KEYSTORE:-}" ]; then
  protocol=SASL_SSL
  tls=("ssl.keystore.type=PEM" "ssl.keystore.location=${KAFKA_TLS_KEYSTORE}")
  if [ -n "${KAFKA_TLS_KEY_PASSWORD:-}" ]; then tls+=("ssl.key.password=${KAFKA_TLS_KEY_PASSWORD}"); fi
fi
listener=$(echo "$protocol" | tr 'A-Z' 'a-z')
admin_password="$(password_of admin)"

{
  echo "process.roles=broker,controller"
  echo "node.id=1"
  echo "controller.quorum.voters=1@localhost:9093"
  echo "listeners=${protocol}://:9092,CONTROLLER://localhost:9093"
  echo "advertised.listeners=${protocol}://${ADVERTISED_HOST}:9092"
  echo "controller.listener.names=CONTROLLER"
  echo "inter.broker.listener.name=${protocol}"
  echo "listener.security.protocol.map=${protocol}:${protocol},CONTROLLER:PLAINTEXT"
  echo "sasl.enabled.mechanisms=SCRAM-SHA-256"
  echo "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256"
  echo "listener.name.${listener}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"${admin_password}\";"
  echo "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"
  echo "allow.everyone.if.no.acl.found=false"
  echo "super.users=User:admin;User:ANONYMOUS"
  echo "log.dirs=${DATA}"
  echo "auto.create.topics.enable=false"
  echo "offsets.topic.replication.factor=1"
  echo "transaction.state.log.replication.factor=1"
  echo "transaction.state.log.min.isr=1"
  echo "group.initial.rebalance.delay.ms=0"
  for line in "${tls[@]}"; do echo "$line"; done
} > "$CONF"

# What the healthcheck logs in with.
{
  echo "security.protocol=${protocol}"
  echo "sasl.mechanism=SCRAM-SHA-256"
  echo "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"${admin_password}\";"
  if [ "$protocol" = SASL_SSL ]; then echo "ssl.endpoint.identification.algorithm="; fi
} > /tmp/postrade-admin.properties

if [ ! -f "${DATA}/meta.properties" ]; then
  scram=()
  for principal in $PRINCIPALS; do
    scram+=(--add-scram "SCRAM-SHA-256=[name=${principal},password=$(password_of "$principal")]")
  done
  /opt/kafka/bin/kafka-storage.sh format -t "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" -c "$CONF" "${scram[@]}"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$CONF"
