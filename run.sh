#!/usr/bin/env bash
# Starts I2V Studio. With no TurboDiffusion__BaseUrl set, the host embeds the local emulator.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prereqs.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -d samples/I2VStudio.Host ]; then
  echo "The studio host does not exist yet (samples/I2VStudio.Host). Run ./test.sh for the tests." >&2
  exit 2
fi
if [ -z "${TurboDiffusion__BaseUrl:-}" ]; then
  i2v_install_prereqs || echo "Warning: without ffmpeg the local emulator's jobs fail with an install hint." >&2
fi
url="${I2V_URL:-http://127.0.0.1:5080}"
echo "I2V Studio: open ${url}/tools/i2v"
exec dotnet run --project samples/I2VStudio.Host -c Release -- --urls "$url" --environment Development
