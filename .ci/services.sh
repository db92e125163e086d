#!/usr/bin/env bash
# Install and start what the integration tests need: PostgreSQL, Redis, Chromium, a CJK font.
# Idempotent; needs root and apt-get (CI and the project's machines). Writes .ci/services.env.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
env_file="$here/services.env"
: > "$env_file"
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "services: not root or no apt-get; PostgreSQL/Redis/browser tests will be skipped"; exit 0
fi
need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# PostgreSQL: the cluster Debian created, a password role for the tests.
ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
if [ -n "$ver" ]; then
  pg_ctlcluster "$ver" main start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='dealwise'\"" | grep -q 1 || \
    su postgres -c "psql -qc \"CREATE ROLE dealwise LOGIN SUPERUSER PASSWORD 'dealwise'\""
  echo "DEALWISE_TEST_POSTGRES_URL=postgresql://dealwise:dealwise@127.0.0.1:5432/postgres" >> "$env_file"
fi
if command -v redis-server >/dev/null; then
  redis-cli -p 6390 ping >/dev/null 2>&1 || redis-server --port 6390 --bind 127.0.0.1 --save '' --daemonize yes >/dev/null
  for _ in $(seq 1 20); do redis-cli -p 6390 ping >/dev/null 2>&1 && break; sleep 0.5; done
  echo "DEALWISE_TEST_REDIS_URL=redis://127.0.0.1:6390/0" >> "$env_file"
fi
[ -x /usr/bin/chromium ] && echo "DEALWISE_TEST_CHROMIUM=/usr/bin/chromium" >> "$env_file"
echo "services: $(tr '\n' ' ' < "$env_file")"
