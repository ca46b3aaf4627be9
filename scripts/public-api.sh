#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to PublicAPI.Unshipped.txt of the projects under
# src/, and drops the lines the build reports as gone (RS0017). The analyzer's code fix does not run on the command line
# for Razor components (dotnet format does not run the Razor generator), so this reads the build's own diagnostics: the
# message carries the exact line the file needs. Review the diff: every line is a change of the packages' public API.
#   scripts/public-api.sh            update the files
#   scripts/public-api.sh --check    only report (exit 1 when a file is out of date)
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

# A project before the ones that reference it: a referencing project's build fails while the referenced project's
# API files are stale, so those are brought up to date first.
ordered=()
pending=(src/*/*.csproj)
while [ ${#pending[@]} -gt 0 ]; do
  left=()
  for project in "${pending[@]}"; do
    ready=true
    for other in "${pending[@]}"; do
      [ "$other" != "$project" ] && grep -q "$(basename "$other")" "$project" && ready=false
    done
    if $ready; then ordered+=("$project"); else left+=("$project"); fi
  done
  [ ${#left[@]} -eq ${#pending[@]} ] && { echo "src/: project references form a cycle" >&2; exit 2; }
  pending=("${left[@]}")
done

status=0
for project in "${ordered[@]}"; do
  dir=$(dirname "$project")
  log=$(mktemp)
  # -t:Rebuild: diagnostics are only reported when the compiler actually runs.
  dotnet build "$project" -c Release -t:Rebuild -nologo -v:q -clp:NoSummary >"$log.all" 2>&1 || true
  # Only this project's diagnostics (a referenced project's are reported in its own turn).
  grep -F "[$(realpath "$project")]" "$log.all" >"$log" || true
  if grep -q "error" "$log.all" && ! grep -q "error" "$log"; then
    echo "$dir: a referenced project does not build:" >&2
    grep -E "error" "$log.all" | sort -u >&2
    exit 2
  fi
  rm -f "$log.all"
  added=$(grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" | sort -u || true)
  removed=$(grep -oP "error RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" "$log" | sort -u || true)
  others=$(grep -E "error [A-Z]+[0-9]+" "$log" | grep -vE "error RS00(16|17|41):" || true)
  rm -f "$log"
  if [ -n "$others" ]; then
    echo "$dir: the build failed for other reasons; fix these first:" >&2
    printf '%s\n' "$others" | sort -u >&2
    exit 2
  fi
  if [ -z "$added" ] && [ -z "$removed" ]; then
    echo "$dir: public API files up to date"
    continue
  fi
  status=1
  [ -n "$added" ] && printf '%s\n' "$added" | sed "s|^|$dir: + |"
  [ -n "$removed" ] && printf '%s\n' "$removed" | sed "s|^|$dir: - |"
  $check && continue
  if [ -n "$removed" ]; then
    # A line only in Unshipped is dropped; a Shipped one stays and gets "*REMOVED*" in Unshipped (a breaking change).
    python3 - "$dir" "$removed" <<'PY'
import sys
folder, gone = sys.argv[1], sys.argv[2].splitlines()
shipped_path, unshipped_path = folder + "/PublicAPI.Shipped.txt", folder + "/PublicAPI.Unshipped.txt"
shipped = set(open(shipped_path, encoding="utf-8").read().splitlines())
unshipped = open(unshipped_path, encoding="utf-8").read().splitlines()
unshipped = [l for l in unshipped if l not in gone]
unshipped += ["*REMOVED*" + g for g in gone if g in shipped]
open(unshipped_path, "w", encoding="utf-8").write("\n".join(unshipped) + "\n")
PY
  fi
  unshipped="$dir/PublicAPI.Unshipped.txt"
  { head -n1 "$unshipped"; { tail -n +2 "$unshipped"; [ -n "$added" ] && printf '%s\n' "$added"; } | grep -v '^$' | LC_ALL=C sort -u; } >"$unshipped.new"
  mv "$unshipped.new" "$unshipped"
done
if $check; then exit $status; fi
echo "Done. Rebuild to confirm: dotnet build -c Release"
