#!/usr/bin/env bash
# Runs the API on http://localhost:5080 with sample data.
# With no ConnectionStrings__Directory set, it uses a private PostgreSQL + PostGIS cluster in
# .data/postgres (created on first run, reused after); set it to use any other server instead.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

export Embedded__DataDirectory="${Embedded__DataDirectory:-$PWD/.data/postgres}"
dotnet build src/IopDirectory.Api -c Release -v quiet -nologo
dotnet run --no-build -c Release --project src/IopDirectory.Api -- seed
echo "Serving the API on http://localhost:5080/graphql (open it in a browser for the explorer). Ctrl+C stops it." >&2
exec dotnet run --no-build -c Release --project src/IopDirectory.Api -- serve
