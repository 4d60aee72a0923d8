#!/usr/bin/env bash
# Throughput of two versions of the application, alternated (A, B, A, B), on one machine.
#
#   bench/load_ab.sh /path/to/tree-A /path/to/tree-B [duration] [users]
#
# Each tree is a checkout with its own .venv (a symlink to this one is fine) and the
# collected static files. The environment of docs/PERFORMANCE.md ("The server for
# bench/load.py") must be exported first (DATABASE_URL, DJANGO_SETTINGS_MODULE, ...,
# DJANGO_BENCH_URLS=1). Each version is served alone by gunicorn (5 sync workers) while
# bench/load.py replays the evening mix; the summary of every run goes to
# /tmp/load_<A|B><round>.txt and its first line to the terminal.
set -euo pipefail
a=$1 b=$2 duration=${3:-40} users=${4:-50}
here=$(cd "$(dirname "$0")/.." && pwd)
run() { # tree port label
  (cd "$1" && exec .venv/bin/python -m gunicorn tongxiang.wsgi -w 5 -b "127.0.0.1:$2" \
      --log-level warning > "/tmp/gunicorn_$3.log" 2>&1) &
  local pid=$!
  sleep 5
  echo "== $3 $(uptime)"
  "$here/.venv/bin/python" "$here/bench/load.py" --base "http://127.0.0.1:$2" --users "$users" \
      --duration "$duration" 2>&1 | tail -18 > "/tmp/load_$3.txt"
  head -1 "/tmp/load_$3.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true; sleep 4
}
for round in 1 2; do
  run "$a" 8014 "A$round"
  run "$b" 8015 "B$round"
done
