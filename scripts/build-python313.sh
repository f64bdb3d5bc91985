#!/bin/sh
# Build CPython 3.13 from Debian's source pool into a prefix outside the repository, and make a
# venv with Plone 6.2, plone.pgcatalog, zodb-pgjsonb, RelStorage and psycopg for
# bench/bench_pgcatalog.py (those two packages need Python >= 3.12; the project runs on 3.11).
#
#   sh scripts/build-python313.sh [PREFIX] [VENV]      # defaults: /work/py313 /work/venv313
#
# Needs Debian's build dependencies (no PGO, no LTO: a plain build, about 10-20 minutes on 2 cores):
#   apt-get install -y build-essential libssl-dev zlib1g-dev libffi-dev libbz2-dev \
#       libsqlite3-dev liblzma-dev libreadline-dev uuid-dev libgdbm-dev libncurses-dev
set -eu
PREFIX=${1:-/work/py313}
VENV=${2:-/work/venv313}
VERSION=3.13.5
URL=http://deb.debian.org/debian/pool/main/p/python3.13/python3.13_${VERSION}.orig.tar.xz
TARBALL=${TARBALL:-/tmp/py313.tar.xz}
HERE=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x "$PREFIX/bin/python3.13" ]; then
    [ -f "$TARBALL" ] || curl -fsSL -o "$TARBALL" "$URL"
    BUILD=$(mktemp -d /tmp/py313-build.XXXXXX)
    tar -xJf "$TARBALL" -C "$BUILD"
    cd "$BUILD"/Python-${VERSION}
    ./configure --prefix="$PREFIX" >configure.log
    nice -n 10 make -j2 >make.log 2>&1
    nice -n 10 make install >install.log 2>&1
    cd / && rm -rf "$BUILD"
fi
"$PREFIX/bin/python3.13" -c 'import ssl, sqlite3, zlib, bz2, lzma, ctypes, uuid, readline; print("python ok")'

if [ ! -x "$VENV/bin/python" ]; then
    "$PREFIX/bin/python3.13" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -U pip setuptools wheel
# Plone's pins from the repository's constraints.txt, with the packages 3.11 does not have added.
"$VENV/bin/pip" install -c "$HERE/constraints.txt" Plone plone.restapi plone.app.testing webtest \
    "RelStorage[postgresql]"
"$VENV/bin/pip" install "plone.pgcatalog==1.0.0rc9" "zodb-pgjsonb==1.19.0" "psycopg[binary]"
