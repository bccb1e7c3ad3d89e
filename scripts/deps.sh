#!/usr/bin/env bash
# Install the Debian 12 packages mcsb-audit needs to build, test and render, when any is missing.
# Sourced by demo.sh and test.sh; works as root, or through sudo otherwise.
set -euo pipefail

SB_PACKAGES=(
  build-essential cmake pkg-config
  libcjson-dev libxlsxwriter-dev libhpdf-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libfribidi-dev
  fonts-wqy-zenhei
  check libsubunit-dev
  qpdf poppler-utils python3 python3-openpyxl openssl ca-certificates locales unzip
  groff-base man-db python3-jsonschema
)
# OSCAL output is validated with ajv-cli from npm (tests/cli/oscal_sarif.sh). Debian's npm package conflicts with
# Node.js builds that bundle npm, so it is only added when no npm is on PATH.
if ! command -v npm >/dev/null 2>&1; then
  SB_PACKAGES+=(nodejs npm)
fi

sb_install_deps() {
  local missing=()
  local p
  for p in "${SB_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  echo "mcsb-audit: installing missing packages: ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "mcsb-audit: need root or sudo to install: ${missing[*]}" >&2
      return 1
    fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
