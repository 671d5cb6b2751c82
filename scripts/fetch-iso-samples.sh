#!/usr/bin/env bash
# Downloads the CBPR+ example messages published in the PyPI package cbpr-usage-rules
# (MIT licence) at a pinned version, checks the wheel's SHA-256, and keeps only the XML
# samples, in DIR (default target/iso-samples). Nothing is committed from it: the test
# tests/published_samples.rs of corridor-iso20022 reads DIR through
# CORRIDOR_ISO20022_SAMPLES_DIR. Does nothing when DIR already holds this version.
#
#   scripts/fetch-iso-samples.sh [DIR]
#   CORRIDOR_ISO20022_SAMPLES_DIR=$PWD/target/iso-samples \
#     cargo test -p corridor-iso20022 --test published_samples
set -euo pipefail
cd "$(dirname "$0")/.."

package=cbpr-usage-rules
version=0.6.0
wheel=cbpr_usage_rules-${version}-py3-none-any.whl
sha256=8d943c3954d0af76daedca7051d2035de41f4e56eab821f63a1e4a6c11fb83e3
dir=${1:-target/iso-samples}
stamp="$dir/.$package-$version"

if [[ -f $stamp ]]; then
    echo "$dir already holds the samples of $package $version"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "$package==$version"
echo "$sha256  $work/$wheel" | sha256sum --check --quiet
mkdir -p "$dir"
python3 - "$work/$wheel" "$dir" <<'PY'
# Python's zipfile rather than unzip, which a fresh machine may lack.
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
prefix = "cbpr_rules/examples/"
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        if name.startswith(prefix) and name.endswith(".xml"):
            target = dest + "/" + name[len(prefix):]
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(archive.read(name))
PY
touch "$stamp"
echo "$package $version samples in $dir"
