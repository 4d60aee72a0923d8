#!/usr/bin/env bash
# Throughput of two versions of the application, alternated (A, B, A, B), on one machine.
#
#   bench/load_ab.sh /path/to/tree-A /path/to/tree-B [duration] [users] [rounds]
#
# Each tree is a checkout with its own .venv (a symlink to this one is fine) and the
# collected static files. The environment of docs/PERFORMANCE.md ("The server for
# bench/load.py") must be exported first (DATABASE_URL, DJANGO_SETTINGS_MODULE, ...,
# DJANGO_BENCH_URLS=1). Each version is served alone by gunicorn (5 sync workers) while
# bench/load.py replays the evening mix; the summary of every run goes to
# /tmp/load_<A|B><round>.txt and its first line to the terminal. REDIS_URL must name a
# database of its own: it is emptied before each run.
set -euo pipefail
a=$1 b=$2 duration=${3:-40} users=${4:-50} rounds=${5:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
run() { # tree port label
  # Every run logs 50 users in from 127.0.0.1 (bench/load.py tries generated names first,
  # which fail on the demo county's data): empty the cache (REDIS_URL's database: the login
  # rate limit per address) and the lockout records, so no run is answered 429 because of
  # the runs before it.
  redis-cli -u "$REDIS_URL" flushdb > /dev/null
  "$here/.venv/bin/python" "$here/manage.py" axes_reset > /dev/null
  (cd "$1" && exec .venv/bin/python -m gunicorn tongxiang.wsgi -w 5 -b "127.0.0.1:$2" \
      --log-level warning > "/tmp/gunicorn_$3.log" 2>&1) &
  local pid=$!
  sleep 5
  echo "== $3 $(uptime)"
  "$here/.venv/bin/python" "$here/bench/load.py" --base "http://127.0.0.1:$2" --users "$users" \
      --duration "$duration" 2>&1 | tail -18 > "/tmp/load_$3.txt"
  head -1 "/tmp/load_$3.txt"
  if grep -q "HTTP 429" "/tmp/load_$3.txt"; then echo "   (logins refused with 429 in this run: not comparable)"; fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; sleep 4
}
for round in $(seq 1 "$rounds"); do
  run "$a" 8014 "A$round"
  run "$b" 8015 "B$round"
done
