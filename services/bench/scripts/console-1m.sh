#!/usr/bin/env bash
# The web console over the bench's 1,000,000-event log: writes the log once (the big
# workload's generated events, `duban-bench log`), serves it with the release binary at the log's own
# "now" (2025-07-01 09:00 Asia/Shanghai), and runs tests/console-e2e/board-1m.mjs in
# headless Chromium, which prints one JSON line per step and `RESULT {...}` with the
# figures and their limits (first render < 1 s, no long task over 200 ms after it, a
# live update < 1 s). Exits non-zero when a limit is missed.
#
#   services/bench/scripts/console-1m.sh            # log in /tmp/duban-console-1m.db
#   DUBAN_CONSOLE_LOG=/data/big.db EVENTS=200000 services/bench/scripts/console-1m.sh
#
# Needs `cargo build --release -p duban -p duban-bench`, node and /usr/bin/chromium.
# Each run appends about a hundred events to the log (the commands whose effect it
# times); the first run also tops one task's history up to 2,000 events.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${CARGO_TARGET_DIR:-target}"
duban="$target/release/duban"
bench="$target/release/duban-bench"
log="${DUBAN_CONSOLE_LOG:-/tmp/duban-console-1m.db}"
events="${EVENTS:-1000000}"
port="${PORT:-18631}"
for bin in "$duban" "$bench"; do
  [[ -x "$bin" ]] || { echo "missing $bin: cargo build --release -p duban -p duban-bench" >&2; exit 2; }
done

if [[ ! -f "$log" ]]; then
  echo "writing a $events-event log to $log (duban-bench log)..." >&2
  "$bench" log --events "$events" --out "$log"
fi

export DUBAN_DATABASE_URL="sqlite:$log"
export DUBAN_NOW="2025-07-01T01:00:00Z"
export RUST_LOG=warn
token() { "$duban" token create --name "$1" --role "$2" ${3:+--department "$3"} | head -1; }
OFFICE_TOKEN="$(token 'console-1m office' office)"
AUDITOR_TOKEN="$(token 'console-1m auditor' auditor)"
DEPARTMENT_TOKEN="$(token 'console-1m 教育局' department 教育局)"
export OFFICE_TOKEN AUDITOR_TOKEN DEPARTMENT_TOKEN
export DUBAN_BASE="http://127.0.0.1:$port"

serve_log="$(mktemp)"
"$duban" serve --listen "127.0.0.1:$port" --clock-interval 86400 >"$serve_log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -f "$serve_log"' EXIT
started=$(date +%s%N)
until curl -fsS "$DUBAN_BASE/healthz" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { cat "$serve_log" >&2; echo "duban serve exited" >&2; exit 1; }
  sleep 0.2
done
echo "server up in $(( ($(date +%s%N) - started) / 1000000 )) ms over $log" >&2

[[ -d tests/console-e2e/node_modules ]] ||
  (cd tests/console-e2e && npm ci --no-audit --no-fund --loglevel=error)
node tests/console-e2e/board-1m.mjs
