#!/usr/bin/env bash
# Writes samples/I2VStudio.Host/wwwroot/css/mud-critical.css: MudBlazor's stylesheet cut to the classes in the
# prerendered HTML of every page of the host (tests/I2VStudio.Host.Tests/Support/CriticalCssGenerator.cs). Run it after
# changing any page's markup; the host tests fail while the committed file differs from what this writes.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/I2VStudio.Host.Tests -c Release -nologo -v:q -clp:NoSummary
I2V_WRITE_CRITICAL_CSS=1 dotnet test --project tests/I2VStudio.Host.Tests -c Release --no-build -- \
    --filter-method "*CommittedSubset_EveryPagesPrerenderedMarkup_IsWhatTheGeneratorMakesNow"
echo "Wrote samples/I2VStudio.Host/wwwroot/css/mud-critical.css ($(wc -c < samples/I2VStudio.Host/wwwroot/css/mud-critical.css) bytes); commit it."
