#!/usr/bin/env bash
# Install, from Debian packages, the system software ioc57 needs, when it is missing:
#   npm                Node's package manager, to fetch the browser libraries (Chart.js) from the
#                      npm registry; `make demo` needs only this one
#   postgresql         the server (initdb) the suite starts for its PostgreSQL run
#   chromium           the headless browser the browser tests drive
#   fonts-dejavu-core  a font with every Vietnamese glyph, for the browser's rendering
# Usage: system-deps.sh [npm|postgresql|chromium|fonts ...]   (no argument: all of them)
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(npm postgresql chromium fonts)

missing=()
for item in "${wanted[@]}"; do
  case "$item" in
    npm) command -v npm >/dev/null || missing+=(npm) ;;
    postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql) ;;
    chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    fonts) [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core) ;;
    *) echo "system-deps: unknown item $item" >&2; exit 2 ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: ${wanted[*]}: present"
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
