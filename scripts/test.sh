#!/usr/bin/env bash
# The README's test command, which CI runs: installs xmllint (Debian's libxml2-utils) when it
# is missing, for corridor-iso20022's schema tests against the XSDs in schemas/iso20022;
# fetches the published ISO 20022 sample messages that corridor-iso20022's round-trip test
# reads and real UN and OFAC lists for corridor-watchlist's (never committed), then runs every
# test of the workspace next to a throwaway PostgreSQL (the SQL baseline's test and the journal
# on PostgreSQL) and a throwaway Patroni pair in strict synchronous replication (the failover
# of the journal's database under load).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v xmllint >/dev/null; then
  echo "test.sh: installing Debian's libxml2-utils for xmllint" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q libxml2-utils >&2
fi
scripts/fetch-iso-samples.sh target/iso-samples
export CORRIDOR_ISO20022_SAMPLES_DIR="$PWD/target/iso-samples"
scripts/fetch-watchlists.sh target/watchlists
export CORRIDOR_UN_LIST="$PWD/target/watchlists/un.xml"
export CORRIDOR_OFAC_LIST="$PWD/target/watchlists/ofac_sdn.xml"
exec scripts/with-postgres.sh scripts/with-patroni.sh cargo test --workspace --locked
