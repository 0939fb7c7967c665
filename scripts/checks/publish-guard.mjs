#!/usr/bin/env node
// Refuses to publish (or pack with scripts on) a package that is not built from its current sources
// or does not pass n8n's checks. Runs as `prepublishOnly` and `prepack`; package.json's publishConfig
// turns scripts back on for `npm publish`, which the project's .npmrc otherwise ignores (see there).
//
//   node scripts/checks/publish-guard.mjs [package folder]   (default: the current folder)
//
// Refuses when:
// - a file the `n8n` block of package.json names is missing;
// - a TypeScript source in nodes/ or credentials/ has no compiled .js in dist/, or is newer than it;
// - an icon or codex file in nodes/ or credentials/ differs from its copy in dist/ (a provider's
//   samples/ are read by the tests only and are not packed);
// - n8n's lint (`n8n-node lint`, or eslint with the folder's own configuration) reports a problem;
// - the source leg of n8n's community-package scanner reports a violation.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const folder = resolve(process.argv[2] ?? process.cwd());
const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
const problems = [];

function* filesUnder(dir) {
	if (!existsSync(dir)) return;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) yield* filesUnder(full);
		else yield full;
	}
}

// 1. Built: everything the n8n block names, every compiled source, every copied asset.
for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
	if (!existsSync(join(folder, file))) problems.push(`${file} is named in package.json's n8n block but does not exist`);
}
if ((pkg.n8n?.nodes ?? []).length === 0) problems.push("package.json's n8n block names no node");
for (const top of ['nodes', 'credentials']) {
	for (const source of filesUnder(join(folder, top))) {
		const rel = relative(folder, source);
		if (source.endsWith('.ts')) {
			const compiled = join(folder, 'dist', rel.replace(/\.ts$/, '.js'));
			if (!existsSync(compiled)) problems.push(`${rel} is not compiled (no dist/${relative(join(folder, 'dist'), compiled)})`);
			else if (statSync(compiled).mtimeMs < statSync(source).mtimeMs) problems.push(`${rel} changed after it was compiled`);
		} else if (/\.(svg|png)$|\.node\.json$/.test(source)) {
			const copy = join(folder, 'dist', rel);
			if (!existsSync(copy) || !readFileSync(copy).equals(readFileSync(source))) problems.push(`dist/${rel} is missing or differs from ${rel}`);
		}
	}
}
if (problems.length > 0) problems.push('run `npm run build` first');

// 2. Linted, as n8n lints it.
const lint = spawnSync('npx', ['--no-install', 'n8n-node', 'lint'], {
	cwd: folder,
	encoding: 'utf8',
	stdio: ['ignore', 'pipe', 'pipe'],
});
if (lint.status !== 0) {
	problems.push(`n8n-node lint failed:\n${lint.stdout}${lint.stderr}`);
}

// 3. n8n's scanner on the sources (its tarball leg runs in CI on the packed output).
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
const scan = await analyzePackage(folder, SOURCE_FILE_PATTERNS);
if (!scan.passed) problems.push(`n8n's scanner refused the sources: ${scan.message}\n${scan.details ?? ''}`);

if (problems.length > 0) {
	process.stderr.write(`Refusing to publish ${pkg.name}@${pkg.version}:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
	process.exit(1);
}
process.stdout.write(`${pkg.name}@${pkg.version}: built from its current sources, n8n-node lint and n8n's scanner pass\n`);
