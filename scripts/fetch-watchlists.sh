#!/usr/bin/env bash
# Downloads real copies of the UN Security Council consolidated list (dated 2024-05-15) and
# OFAC's SDN list (published 2024-05-07), as bundled among the test fixtures of the PyPI
# package inoutlists 1.0.3 (source distribution, MIT licence; the lists themselves are
# public documents of the UN and the US Treasury). Checks the archive's and both files'
# SHA-256 and writes DIR/un.xml and DIR/ofac_sdn.xml (default target/watchlists). Nothing
# is committed from it: the test real_lists_load of corridor-watchlist reads the files
# through CORRIDOR_UN_LIST and CORRIDOR_OFAC_LIST. Does nothing when DIR already holds them.
#
#   scripts/fetch-watchlists.sh [DIR]
#   CORRIDOR_UN_LIST=$PWD/target/watchlists/un.xml \
#   CORRIDOR_OFAC_LIST=$PWD/target/watchlists/ofac_sdn.xml \
#     cargo test -p corridor-watchlist --test real_lists -- --nocapture
set -euo pipefail
cd "$(dirname "$0")/.."

package=inoutlists
version=1.0.3
archive=$package-$version.tar.gz
archive_sha256=8f8aa2f688335df109b9fed0317b898809dc874f4b6039d584a178d9e7bb854d
un_sha256=5c8aa0441f2272b618f921dca11a91ba269388422b820fefa50764f05dc0c6a0
ofac_sha256=79bf2d1589112fea9411092fedc8e902239f9fe0f932f5d59098145a5d7e7113
dir=${1:-target/watchlists}

if sha256sum --check --quiet --status <<<"$un_sha256  $dir/un.xml
$ofac_sha256  $dir/ofac_sdn.xml" 2>/dev/null; then
    echo "$dir already holds the lists of $package $version"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --no-binary=:all: --dest "$work" "$package==$version"
echo "$archive_sha256  $work/$archive" | sha256sum --check --quiet
mkdir -p "$dir"
python3 - "$work/$archive" "$dir" "$package-$version/tests/integration/fixtures" <<'PY'
# Python's tarfile reads the archive without unpacking anything else from it.
import sys, tarfile
archive, dest, fixtures = sys.argv[1:4]
with tarfile.open(archive) as tar:
    for source, target in [("un_consolidated.xml", "un.xml"), ("sdn.xml", "ofac_sdn.xml")]:
        member = tar.extractfile(f"{fixtures}/{source}")
        with open(f"{dest}/{target}", "wb") as out:
            out.write(member.read())
PY
sha256sum --check --quiet <<<"$un_sha256  $dir/un.xml
$ofac_sha256  $dir/ofac_sdn.xml"
echo "UN and OFAC lists of $package $version in $dir"
