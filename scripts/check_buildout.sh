#!/usr/bin/env bash
# End-to-end check of the classic deployment (buildout.cfg), from the repo root:
#   bash scripts/check_buildout.sh
# In a temp dir: a venv with zc.buildout from constraints.txt, a copy of the
# tree, `buildout` (allow-picked-versions = false, so every egg must be pinned),
# a check that hdnd's profiles load, then `bin/instance console` on a free
# port of 127.0.0.1 and an HTTP request. Exits non-zero on any failure.
# Needs python3.11 (or PYTHON=...), curl, tar, and PyPI. KEEP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3.11}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hdnd-buildout.XXXXXX")
TREE=$WORK/tree
SERVER_PGID=
TIMINGS=()

cleanup() {
  local rc=$?
  if [ -n "$SERVER_PGID" ]; then
    kill -TERM -- "-$SERVER_PGID" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$SERVER_PGID" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ]; then
    echo "check_buildout: FAILED (exit $rc); logs in $WORK" >&2
    for log in "$WORK"/*.log; do
      [ -f "$log" ] && { echo "--- tail of $log" >&2; tail -n 30 "$log" >&2; }
    done
  elif [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT

now() { date +%s.%N; }
timed() {  # timed LABEL START: record the seconds since START
  TIMINGS+=("$(awk -v l="$1" -v s="$2" -v e="$(now)" 'BEGIN { printf "%-28s %6.1f s", l, e - s }')")
}
step() { echo "== $*"; }

cd "$ROOT"
step "versions.cfg is up to date with constraints.txt"
"$PYTHON" scripts/versions_cfg.py --check

step "venv with zc.buildout from the pins ($WORK/venv)"
t=$(now)
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q -c constraints.txt pip zc.buildout "setuptools<82" \
  >"$WORK/venv.log" 2>&1
timed "venv + zc.buildout" "$t"

step "copy of the tree ($TREE)"
mkdir "$TREE"
tar -C "$ROOT" \
  --exclude=./.git --exclude=./.venv --exclude=./var --exclude=./bin --exclude=./parts \
  --exclude=./eggs --exclude=./develop-eggs --exclude=./.installed.cfg \
  --exclude=./test-artifacts --exclude='*.egg-info' --exclude=__pycache__ \
  -cf - . | tar -C "$TREE" -xf -

PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

step "buildout -c buildout.cfg (http-address 127.0.0.1:$PORT)"
cd "$TREE"
t=$(now)
if ! "$WORK/venv/bin/buildout" -c buildout.cfg "instance:http-address=127.0.0.1:$PORT" \
    >"$WORK/buildout.log" 2>&1; then
  grep -A8 '^Error' "$WORK/buildout.log" >&2 || true
  exit 1
fi
timed "buildout" "$t"
test -x bin/instance || { echo "bin/instance was not generated" >&2; exit 1; }

step "the instance loads hdnd's profiles and environment"
cat >"$WORK/probe.py" <<'EOF'
import os
from Products.GenericSetup.registry import _profile_registry
ids = {info["id"] for info in _profile_registry.listProfileInfo()}
missing = {"hdnd.content:default", "hdnd.policy:default"} - ids
assert not missing, f"profiles not registered: {sorted(missing)}"
assert os.environ.get("TZ") == "Asia/Ho_Chi_Minh", os.environ.get("TZ")
print("probe ok")
EOF
t=$(now)
bin/instance run "$WORK/probe.py" >"$WORK/probe.log" 2>&1
grep -q '^probe ok$' "$WORK/probe.log"
timed "bin/instance run probe" "$t"

step "bin/instance console on 127.0.0.1:$PORT"
t=$(now)
# Its own session and process group (bin/instance runs Zope as a child
# process), so that stopping it stops both and nothing else.
setsid bin/instance console >"$WORK/instance.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] && break
  sleep 0.1
done
[ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] || { echo "setsid did not take" >&2; exit 1; }
SERVER_PGID=$pid
code=000
for _ in $(seq 1 360); do  # at most ~3 minutes
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/" || true)
  [ "$code" != 000 ] && break
  kill -0 -- "-$SERVER_PGID" 2>/dev/null || { echo "instance exited" >&2; exit 1; }
  sleep 0.5
done
timed "instance start (first HTTP)" "$t"
echo "GET / -> $code"
case $code in 200|401) ;; *) echo "unexpected HTTP status $code" >&2; exit 1 ;; esac
# hdnd closes the ZMI (hdnd.policy.zmi): a signed-in admin is told so (403),
# a wrong password is challenged (401), which shows the instance loaded hdnd
# and admin:admin signs in.
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -u admin:admin \
  "http://127.0.0.1:$PORT/manage_main")
echo "GET /manage_main as admin -> $code"
[ "$code" = 403 ] || { echo "admin:admin cannot log in, or the ZMI is open" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -u admin:wrong \
  "http://127.0.0.1:$PORT/manage_main")
echo "GET /manage_main with a wrong password -> $code"
[ "$code" = 401 ] || { echo "a wrong password was not challenged" >&2; exit 1; }

step "stop the instance"
t=$(now)
kill -TERM -- "-$SERVER_PGID"
for _ in $(seq 1 60); do
  kill -0 -- "-$SERVER_PGID" 2>/dev/null || break
  sleep 0.5
done
if kill -0 -- "-$SERVER_PGID" 2>/dev/null; then
  echo "instance did not stop on SIGTERM within 30 s" >&2
  exit 1
fi
SERVER_PGID=
timed "instance stop" "$t"

echo "== timings"
printf '%s\n' "${TIMINGS[@]}"
echo "check_buildout: OK"
