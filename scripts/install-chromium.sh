#!/usr/bin/env bash
# Headless Chromium for the browser test (test/browser), from Debian's packages: Playwright drives
# this binary and never downloads a browser of its own. Idempotent: nothing to do when present.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium by hand" >&2
	exit 1
fi

# Run as root on CI and on the development machines; sudo elsewhere.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	SUDO=(sudo)
fi

echo "install-chromium: installing Debian's chromium package" >&2
"${SUDO[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
	echo "install-chromium: apt-get finished but $CHROMIUM is still missing" >&2
	exit 1
fi
"$CHROMIUM" --version >&2
