#!/usr/bin/env node
// n8n's community-package scanner (@n8n/scan-community-package), run before publishing instead of
// after: its command line only scans packages already on the npm registry, so this calls the
// analysis it exports on the two things it would scan, the source checkout (package.json, nodes/,
// credentials/) and the unpacked `npm pack` tarball (compiled .js and the published package.json).
//
//   node scripts/checks/scan-package.mjs [package folder ...]    (default: the repository root)
//
// Each folder must hold a package.json; its tarball is packed with `npm pack` (which builds it
// through its prepack script). Exits 1 when either leg of any package reports a violation.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const folders = process.argv.length > 2 ? process.argv.slice(2).map((folder) => resolve(folder)) : [root];

function unpackedTarball(folder, into) {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', into], {
		cwd: folder,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [{ filename }] = JSON.parse(output.slice(output.indexOf('[')));
	const unpacked = join(into, 'package');
	execFileSync('tar', ['-xzf', join(into, filename), '-C', into]);
	return unpacked;
}

let failed = 0;
for (const folder of folders) {
	const { name, version, n8n } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
	const work = mkdtempSync(join(tmpdir(), 'scan-package-'));
	try {
		const unpacked = unpackedTarball(folder, work);
		// A tarball without its built nodes would pass the scan with nothing to scan.
		const missing = [...n8n.nodes, ...n8n.credentials].filter((file) => !existsSync(join(unpacked, file)));
		if (missing.length > 0) {
			failed += 1;
			process.stdout.write(`scan ${name}@${version} tarball: FAILED: it lacks ${missing.join(', ')} (run \`npm run build\` first)\n`);
			continue;
		}
		const legs = [
			['source', folder, SOURCE_FILE_PATTERNS],
			['tarball', unpacked, ['**/*.js', 'package.json']],
		];
		for (const [leg, dir, patterns] of legs) {
			const result = await analyzePackage(dir, patterns);
			if (result.passed) {
				process.stdout.write(`scan ${name}@${version} ${leg}: passed${result.message ? ` (${result.message})` : ''}\n`);
			} else {
				failed += 1;
				process.stdout.write(`scan ${name}@${version} ${leg}: FAILED: ${result.message}\n${result.details ?? ''}\n`);
			}
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}
process.exit(failed === 0 ? 0 : 1);
