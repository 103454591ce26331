#!/usr/bin/env bash
# ./build.sh test  — install what the tests need (when missing), build, run every test.
# ./build.sh build — restore and build only.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command_name=${1:-build}

need_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
  # Fonts so browser-test screenshots show Chinese text and emoji instead of empty boxes.
  [ -d /usr/share/fonts/truetype/wqy ] || missing+=(fonts-wqy-zenhei)
  [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing test dependencies: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 chromium redis-server dovecot-imapd fonts-wqy-zenhei fonts-noto-color-emoji
  fi
}

build() {
  echo "==> Restoring tools and packages"
  dotnet tool restore
  dotnet restore ContactCenter.sln
  echo "==> Building"
  dotnet build ContactCenter.sln --no-restore -c Debug
  echo "==> Generating the SQL Server migration script (offline)"
  mkdir -p artifacts
  dotnet ef migrations script --no-build --idempotent \
    --project src/ContactCenter.Infrastructure --context SqlServerContactCenterDbContext \
    -o artifacts/sqlserver-migrations.sql
}

run_tests() {
  mkdir -p artifacts/test-results
  local log=artifacts/test-results/dotnet-test.log
  echo "==> Running tests"
  set +e
  # One test assembly at a time (-m:1): the browser tests share 2 cores with nothing else, so their
  # bounded waits measure the product, not a CPU fight with the other assemblies.
  dotnet test ContactCenter.sln --no-build -c Debug -m:1 \
    --logger "trx" --results-directory artifacts/test-results \
    -- RunConfiguration.TestSessionTimeout=1500000 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  # One closing line for the whole run, summed over every test assembly.
  awk '/^(Passed|Failed)!/ {
         for (i = 1; i <= NF; i++) {
           gsub(",", "", $(i+1));
           if ($i == "Failed:") f += $(i+1);
           if ($i == "Passed:") p += $(i+1);
           if ($i == "Skipped:") s += $(i+1);
         }
       }
       END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  return "$rc"
}

case "$command_name" in
  build) build ;;
  test) need_packages; build; run_tests ;;
  *) echo "usage: ./build.sh [build|test]" >&2; exit 2 ;;
esac
