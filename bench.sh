#!/usr/bin/env bash
# Runs the benchmark (bench/README.md) in one go: builds Release, publishes the host, runs every scenario, and writes
# bench/results/latest.md (a table) and bench/results/latest.json. Takes about 6–8 minutes on 2 cores.
# Arguments go to the bench program, e.g. ./bench.sh --only 1,4 (scenario numbers; u = the micro-benchmark).
# Only 127.0.0.1 is ever contacted. Not part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prereqs.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! i2v_install_prereqs --browser; then
  echo "The benchmark needs chromium and ffmpeg (see above)." >&2
  exit 1
fi

read -r load1 load5 load15 _ < /proc/loadavg
echo "Load average: $load1 $load5 $load15 on $(nproc) cores (figures are noisy above ~2; ratios less so)."

echo "Building Release ..."
dotnet build bench/I2VStudio.Bench -c Release -nologo -v:q -clp:NoSummary
echo "Publishing the host (Release) to bench/.publish/host ..."
rm -rf bench/.publish/host
dotnet publish samples/I2VStudio.Host -c Release -o bench/.publish/host -nologo -v:q -clp:NoSummary

BENCH_DOTNET_SDK="$(dotnet --version)"
BENCH_COMMAND="./bench.sh${*:+ $*}"
export BENCH_DOTNET_SDK BENCH_COMMAND
exec dotnet bench/I2VStudio.Bench/bin/Release/net10.0/I2VStudio.Bench.dll "$@"
