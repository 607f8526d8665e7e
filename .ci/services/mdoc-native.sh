#!/usr/bin/env bash
# Native tools used by Doppel.Mdoc and its tests: libturbojpeg (mDL portraits, via P/Invoke)
# and the openssl command line (the tests run `openssl verify` on the IACA/DS chain).
# Idempotent: installs only what is missing, never starts anything.
set -euo pipefail

missing=()
if ! ldconfig -p 2>/dev/null | grep -q 'libturbojpeg\.so\.0'; then
  missing+=(libturbojpeg0)
fi
if ! command -v openssl >/dev/null; then
  missing+=(openssl)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "mdoc-native: libturbojpeg0 and openssl present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "mdoc-native: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
# Another apt run (e.g. a parallel service script) holds the lock: wait for it instead of failing.
for _ in $(seq 1 120); do
  if ! pgrep -x apt-get >/dev/null && ! pgrep -x dpkg >/dev/null; then break; fi
  sleep 5
done
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
echo "mdoc-native: installed ${missing[*]}"
