#!/bin/bash
# Run by the one-shot `kafka-init` service in docker-compose.yml (the Kafka image's tools).
#
# Gives each service its own SCRAM-SHA-512 user, with the password from its compose secret
# (/run/secrets/kafka_<service>_password), and exactly the ACLs of deploy/kafka/acls.txt.
# The broker refuses everything no ACL allows (allow.everyone.if.no.acl.found=false).
# Idempotent: passwords are set again, ACLs added again, on every `docker compose up`.
set -euo pipefail

BOOTSTRAP=kafka:9092
# Signed in as admin: the password comes from the secret kafka_admin (`password=…`).
ADMIN_CONFIG=/deploy/kafka/admin-client.properties

for service in identity intake policy reports notify; do
  password=$(tr -d '\n' < "/run/secrets/kafka_${service}_password")
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$BOOTSTRAP" \
    --command-config "$ADMIN_CONFIG" --alter --entity-type users --entity-name "$service" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=${password}]" > /dev/null
done

grep -v '^#' /deploy/kafka/acls.txt | while read -r user operation resource name; do
  /opt/kafka/bin/kafka-acls.sh --bootstrap-server "$BOOTSTRAP" \
    --command-config "$ADMIN_CONFIG" --add --allow-principal "User:${user}" \
    --operation "$operation" "--${resource}" "$name" --resource-pattern-type literal > /dev/null
done
echo "kafka users and ACLs are in place"
