#!/usr/bin/env bash
# Installs the Debian packages the studio needs when they are missing: ffmpeg (the emulator's video
# engine) and, with --browser, chromium and a CJK font (the end-to-end tests). Sourced by run.sh and test.sh.
# Installs with apt-get as root or through sudo; otherwise says exactly what to run.

i2v_install_prereqs() {
  local need=()
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
  if [ "${1:-}" = "--browser" ]; then
    [ -x /usr/bin/chromium ] || need+=(chromium)
    # Without a CJK font Chromium draws the zh-CN UI as empty boxes in screenshots.
    fc-list 2>/dev/null | grep -qiE "wqy|noto sans cjk" || need+=(fonts-wqy-microhei)
  fi
  [ ${#need[@]} -eq 0 ] && return 0

  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "Missing: ${need[*]}. Install with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing: ${need[*]}. This is not a Debian-like system; install ${need[*]} with your package manager." >&2
    return 1
  fi
  echo "Installing ${need[*]} with apt-get (about a minute) ..."
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null || {
    echo "apt-get could not install ${need[*]}. Install them by hand: apt-get install -y ${need[*]}" >&2
    return 1
  }
}
