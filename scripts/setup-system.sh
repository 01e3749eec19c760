#!/usr/bin/env bash
# System packages the test suite drives for real: Virtuoso (a remote SPARQL store) and
# Chromium (the network page). Needs root; Debian or Ubuntu.
set -euo pipefail

packages=()
command -v virtuoso-t >/dev/null 2>&1 || packages+=(virtuoso-opensource)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v npm >/dev/null 2>&1 || packages+=(npm)

if [ ${#packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
