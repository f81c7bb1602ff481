# Sourced by run.sh and test.sh: installs what a fresh machine lacks (PostgreSQL 15 + PostGIS 3)
# and checks for the .NET SDK. Safe to run again: it installs nothing that is already there.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet on PATH)." >&2
  exit 1
fi

pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1 || true)
missing=()
[ -n "$pg_version" ] && [ -x "/usr/lib/postgresql/$pg_version/bin/initdb" ] || { missing+=(postgresql-15); pg_version=15; }
[ -f "/usr/share/postgresql/$pg_version/extension/postgis.control" ] || missing+=("postgresql-$pg_version-postgis-3")
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)..." >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
