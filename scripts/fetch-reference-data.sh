#!/usr/bin/env bash
# Downloads the reference data screening reads at run time into DIR (default
# target/reference): person_names.txt, 171,833 groups of spellings of the same person name
# across scripts (built by OpenSanctions from Wikidata, MIT licence), from the source
# distribution of the PyPI package rigour 2.6.1, where it is rust/data/names/person_names.txt.
# Checks the archive's and the file's SHA-256 and writes the licence beside it. Nothing is
# committed from it. Point the node at it with CORRIDOR_REFERENCE_DIR=DIR (or --reference-dir).
#
#   scripts/fetch-reference-data.sh [DIR]
#   CORRIDOR_REFERENCE_DIR=$PWD/target/reference corridor up --demo
set -euo pipefail
cd "$(dirname "$0")/.."

version=2.6.1
url=https://files.pythonhosted.org/packages/e5/3c/367a62b1ce549748f36d5fa85a2d0a2789128d7b4ad85a8426fedfc80a7e/rigour-$version.tar.gz
archive_sha256=f5e3736252f11b90ac32387f6fa02182a021dfd28ad90c6065d8e5bca0b2e8e5
names_sha256=9d6381d55159f471082ecb88446f3f8cffe82eca4ee65ea3a84889dbe75b9e94
dir=${1:-target/reference}

if sha256sum --check --quiet --status <<<"$names_sha256  $dir/person_names.txt" 2>/dev/null; then
    echo "$dir already holds person_names.txt of rigour $version"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl --fail --silent --show-error --location --output "$work/rigour.tar.gz" "$url"
echo "$archive_sha256  $work/rigour.tar.gz" | sha256sum --check --quiet
tar -xzf "$work/rigour.tar.gz" -C "$work" \
    "rigour-$version/rust/data/names/person_names.txt" "rigour-$version/LICENSE"
mkdir -p "$dir"
cp "$work/rigour-$version/rust/data/names/person_names.txt" "$dir/person_names.txt"
cp "$work/rigour-$version/LICENSE" "$dir/person_names.LICENSE"
sha256sum --check --quiet <<<"$names_sha256  $dir/person_names.txt"
echo "person_names.txt of rigour $version (MIT, OpenSanctions from Wikidata) in $dir"
