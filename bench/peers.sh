#!/usr/bin/env bash
# dsim, SimPy and C on the same M/M/c, side by side (`dsim bench peers`). Installs the peers when
# missing (Debian: python3-simpy, the SimPy 2 API; gcc), then runs the comparison.
#   bash bench/peers.sh [--customers N] [--rounds R] [--json FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
/usr/bin/python3 -c 'import SimPy.Simulation' >/dev/null 2>&1 || need+=(python3-simpy)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
exec npx dsim bench peers "$@"
