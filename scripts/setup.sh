#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of Healthchain from Debian 12's
# packages. Idempotent: packages already present are left alone and apt is not touched.
# Fails with a clear message when it cannot do its job (not root, no apt-get, apt errors).
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config git
  clang libclang-rt-14-dev lld
  libssl-dev openssl
  librocksdb-dev
  libboost-dev libboost-system-dev
  nlohmann-json3-dev libcli11-dev
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libgmp-dev valgrind
  python3 python3-matplotlib python3-cryptography
  curl procps
  chromium chromium-driver python3-selenium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: error: apt-get not found; Healthchain's setup needs Debian 12 (missing: ${missing[*]})" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: error: must run as root to install: ${missing[*]} (try: sudo $0)" >&2
  exit 1
fi

echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -q; then
  echo "setup: error: apt-get update failed (is the Debian mirror reachable?)" >&2
  exit 1
fi
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "setup: error: apt-get install failed for: ${missing[*]}" >&2
  exit 1
fi
echo "setup: done"
