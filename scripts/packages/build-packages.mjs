#!/usr/bin/env node
// One npm package per provider, next to the root package, for n8n Cloud: its verification takes a
// package that integrates exactly one service. Built from the root package's own build output
// (run `npm run build` first), nothing kept in the repository:
//
//   node scripts/packages/build-packages.mjs [output folder]   (default: dist/packages)
//
// For every node of the root package.json's `n8n` block it writes `<output>/<package name>/`:
// the node and its credential compiled (the files they require, the shared mechanism among them,
// followed from the compiled code), their codex file and icons, the TypeScript sources of those
// files (so that `n8n-node lint` and n8n's scanner check what was compiled), package.json with the
// `n8n` block in strict mode, n8n's own eslint.config.mjs and a tsconfig.json, README.md, LICENSE.md
// and CHANGELOG.md. Then it packs every single-service package and the root package into
// `<output>/*.tgz` and writes `<output>/manifest.json`, which says what each package holds.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { changelog, readme } from './documents.mjs';
import { discoverProviders, isAllowedExternal } from './providers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const output = resolve(process.argv[2] ?? join(root, 'dist', 'packages'));
const require = createRequire(join(root, 'package.json'));

/** n8n's default lint configuration for a new node package; strict mode requires it unchanged. */
const ESLINT_TEMPLATE = join(dirname(require.resolve('@n8n/node-cli/eslint')), '..', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs');

const TSCONFIG = {
	compilerOptions: {
		strict: true,
		module: 'commonjs',
		moduleResolution: 'node',
		target: 'es2021',
		lib: ['es2021', 'es2022.error'],
		types: [],
		removeComments: true,
		forceConsistentCasingInFileNames: true,
		noImplicitAny: true,
		noImplicitReturns: true,
		noUnusedLocals: true,
		strictNullChecks: true,
		esModuleInterop: true,
		resolveJsonModule: true,
		skipLibCheck: true,
		outDir: './dist/',
	},
	include: ['credentials/**/*.ts', 'nodes/**/*.ts'],
};

function writeJson(file, value) {
	writeFileSync(file, `${JSON.stringify(value, null, '\t')}\n`);
}

/** Copies a file of the root package into the package, with the root's name replaced where it names the package. */
function copyInto(from, to, rename) {
	mkdirSync(dirname(to), { recursive: true });
	if (/\.(js|ts|json)$/.test(from)) writeFileSync(to, rename(readFileSync(from, 'utf8'), from));
	else copyFileSync(from, to);
}

function pack(folder, ignoreScripts) {
	const args = ['pack', '--json', '--pack-destination', output];
	if (ignoreScripts) args.push('--ignore-scripts');
	const out = execFileSync('npm', args, { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	const [info] = JSON.parse(out.slice(out.indexOf('[')));
	return { tarball: join(output, info.filename), size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((file) => file.path) };
}

function buildPackage(provider, { pkg, providers }) {
	const folder = join(output, provider.packageName);
	const npmUrl = (name) => `https://www.npmjs.com/package/${name}`;
	// The codex names the node type (`<package>.<node>`) and the documentation links name the package.
	const rename = (text, from) => {
		let result = text.replaceAll(npmUrl(pkg.name), npmUrl(provider.packageName));
		if (from.endsWith('.node.json')) result = result.replaceAll(`"${pkg.name}.`, `"${provider.packageName}.`);
		return result;
	};
	const refused = provider.external.filter((spec) => !isAllowedExternal(spec));
	if (refused.length > 0) throw new Error(`${provider.displayName} requires ${refused.join(', ')}: a package may only take n8n-workflow from its host`);

	for (const file of [...provider.compiled, ...provider.assets]) {
		copyInto(join(root, file), join(folder, file), rename);
		// The source it was built from, beside it as in the root package (dist/x.js from x.ts).
		const source = relative('dist', file).replace(/\.js$/, '.ts');
		if (!existsSync(join(root, source))) throw new Error(`${file} has no source ${source}`);
		copyInto(join(root, source), join(folder, source), rename);
	}
	copyFileSync(ESLINT_TEMPLATE, join(folder, 'eslint.config.mjs'));
	writeJson(join(folder, 'tsconfig.json'), TSCONFIG);
	copyFileSync(join(root, 'LICENSE.md'), join(folder, 'LICENSE.md'));
	writeFileSync(join(folder, 'README.md'), readme({ provider, rootPackage: pkg, rootReadme: readFileSync(join(root, 'README.md'), 'utf8') }));
	writeFileSync(
		join(folder, 'CHANGELOG.md'),
		changelog({ provider, providers, rootPackage: pkg, rootChangelog: readFileSync(join(root, 'CHANGELOG.md'), 'utf8') }),
	);
	const devTools = ['@n8n/node-cli', 'eslint', 'typescript'];
	writeJson(join(folder, 'package.json'), {
		name: provider.packageName,
		version: pkg.version,
		description: `Verified webhook trigger for ${provider.name}: every delivery's HMAC-SHA256 signature is checked before a workflow starts.`,
		keywords: ['n8n-community-node-package', 'n8n', 'webhook', 'trigger', 'hmac', provider.name.toLowerCase()],
		license: pkg.license,
		homepage: npmUrl(provider.packageName),
		repository: pkg.repository,
		bugs: pkg.bugs,
		author: pkg.author,
		engines: pkg.engines,
		files: ['dist', 'CHANGELOG.md'],
		scripts: { lint: 'n8n-node lint' },
		n8n: {
			n8nNodesApiVersion: pkg.n8n.n8nNodesApiVersion,
			strict: true,
			credentials: [provider.credentialFile],
			nodes: [provider.nodeFile],
		},
		devDependencies: Object.fromEntries(devTools.map((name) => [name, pkg.devDependencies[name]])),
		peerDependencies: pkg.peerDependencies,
	});
	return folder;
}

const discovered = discoverProviders(root);
const names = discovered.providers.map((provider) => provider.packageName);
const clash = names.find((name, index) => name === discovered.pkg.name || names.indexOf(name) !== index);
if (clash) throw new Error(`two packages would be named ${clash}`);

rmSync(output, { recursive: true, force: true });
mkdirSync(output, { recursive: true });
const manifest = { root: { name: discovered.pkg.name, version: discovered.pkg.version }, packages: [] };
for (const provider of discovered.providers) {
	const folder = buildPackage(provider, discovered);
	const packed = pack(folder, false);
	manifest.packages.push({ ...provider, folder: relative(root, folder), ...packed, tarball: relative(root, packed.tarball) });
}
// The root package as `npm publish` would send it; its publish guard (prepack) is for publishing.
const rootPacked = pack(root, true);
Object.assign(manifest.root, rootPacked, { tarball: relative(root, rootPacked.tarball) });
writeJson(join(output, 'manifest.json'), manifest);

for (const entry of [manifest.root, ...manifest.packages]) {
	process.stdout.write(`${relative(root, join(root, entry.tarball))}  ${(entry.size / 1024).toFixed(1)} kB packed, ${entry.files.length} files\n`);
}
