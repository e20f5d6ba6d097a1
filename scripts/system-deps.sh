#!/usr/bin/env bash
# Install, from Debian packages, the system software the test suite needs, when it is missing:
#   postgresql         the server (initdb) the suite starts for its PostgreSQL run
#   chromium           the headless browser the browser tests drive
#   fonts-dejavu-core  a font with every Vietnamese glyph, for the browser's rendering
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: PostgreSQL server, Chromium and DejaVu fonts are present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${missing[*]}" >&2
  echo "system-deps: install them, e.g.: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
