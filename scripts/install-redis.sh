#!/usr/bin/env bash
# redis-server for the queue-mode test stack (scripts/n8n/services.ts), from Debian's packages. The
# tests start their own redis-server on a private port, so the system service is never left running.
# Idempotent: nothing to do when redis-server is on PATH.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-redis: redis-server is missing and apt-get is not available; install Redis by hand" >&2
	exit 1
fi

# Run as root on CI and on the development machines; sudo elsewhere.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	SUDO=(sudo)
fi

# A policy-rc.d that answers 101 ("action forbidden") keeps the package's postinst from starting the
# service; an existing one belongs to the machine and is left alone.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
	"${SUDO[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $POLICY && chmod 755 $POLICY"
	trap '"${SUDO[@]}" rm -f "$POLICY"' EXIT
fi

echo "install-redis: installing Debian's redis-server package" >&2
"${SUDO[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends redis-server

# Whatever the policy said, no system redis may keep running (nor start at boot under systemd).
if [ -d /run/systemd/system ]; then
	"${SUDO[@]}" systemctl disable --now redis-server.service >/dev/null 2>&1 || true
elif [ -x /etc/init.d/redis-server ]; then
	"${SUDO[@]}" /etc/init.d/redis-server stop >/dev/null 2>&1 || true
fi

if ! command -v redis-server >/dev/null 2>&1; then
	echo "install-redis: apt-get finished but redis-server is still not on PATH" >&2
	exit 1
fi
redis-server --version >&2
