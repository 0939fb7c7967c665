// The providers of the root package, read off the built package itself: its package.json `n8n`
// block names the compiled nodes and credentials, and each node's description says what it is
// (display name, node name, credential). Nothing here names a provider.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
// n8n Cloud's rules: a node touches neither the file system nor processes of its host.
const DENIED_BUILTINS = new Set(
	['fs', 'fs/promises', 'child_process', 'cluster', 'worker_threads', 'vm', 'process', 'module'].flatMap((name) => [name, `node:${name}`]),
);

/** The one module a community package may take from its host: n8n itself provides it. */
export const PEER_MODULES = new Set(['n8n-workflow']);

/** `file:x.svg` or `{ light, dark }` to the list of icon files, relative to `from` (a dist file). */
function iconFiles(icon, from) {
	const values = typeof icon === 'string' ? [icon] : icon && typeof icon === 'object' ? Object.values(icon) : [];
	return values
		.filter((value) => typeof value === 'string' && value.startsWith('file:'))
		.map((value) => join(dirname(from), value.slice('file:'.length)));
}

/** The instance of the class a compiled node or credential file exports (the one with a `name`). */
function instanceOf(require, file, has) {
	const exported = require(file);
	for (const value of Object.values(exported)) {
		if (typeof value !== 'function') continue;
		let instance;
		try {
			instance = new value();
		} catch {
			continue;
		}
		if (has(instance)) return instance;
	}
	throw new Error(`${file} exports no class with ${has.toString()}`);
}

/**
 * `<words>` to a package-name part: lower case, every run of other characters one hyphen
 * (`Sitemap.xml` to `sitemap-xml`).
 */
export function slug(text) {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/**
 * Every compiled file `entry` needs from `distRoot`, following its relative require() calls, and
 * the modules it takes from outside (anything not relative).
 */
export function requireClosure(entries, distRoot) {
	const files = new Set();
	const external = new Set();
	const pending = [...entries];
	while (pending.length > 0) {
		const file = pending.pop();
		if (files.has(file)) continue;
		if (relative(distRoot, file).startsWith('..')) throw new Error(`${file} lies outside ${distRoot}`);
		files.add(file);
		const code = readFileSync(file, 'utf8');
		for (const [, spec] of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
			if (spec.startsWith('.')) {
				const target = resolve(dirname(file), spec);
				const candidates = [target, `${target}.js`, join(target, 'index.js')];
				const found = candidates.find((candidate) => existsSync(candidate) && candidate.endsWith('.js'));
				if (!found) throw new Error(`${relative(distRoot, file)} requires ${spec}, which is not built`);
				pending.push(found);
			} else {
				external.add(spec);
			}
		}
	}
	return { files: [...files].sort(), external: [...external].sort() };
}

/**
 * The root package and one entry per node of its `n8n` block: the node's display name and type
 * name, the provider's name (the display name without " Trigger"), the credential the node signs
 * with, and every compiled file and asset the pair needs.
 */
export function discoverProviders(root) {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter((file) => !existsSync(join(root, file)));
	if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')} (run \`npm run build\` first)`);
	const require = createRequire(join(root, 'package.json'));
	const distRoot = join(root, 'dist');

	const credentials = new Map();
	for (const file of pkg.n8n.credentials) {
		const credential = instanceOf(require, join(root, file), (instance) => typeof instance.name === 'string' && Array.isArray(instance.properties));
		if (credentials.has(credential.name)) throw new Error(`two credentials are named ${credential.name}`);
		credentials.set(credential.name, { file, credential });
	}

	const providers = pkg.n8n.nodes.map((file) => {
		const nodeFile = join(root, file);
		const { description } = instanceOf(require, nodeFile, (instance) => typeof instance.description?.name === 'string');
		const credentialName = description.credentials?.[0]?.name;
		const match = credentials.get(credentialName);
		if (!match) throw new Error(`${file}: its credential ${credentialName} is not in the n8n block`);
		const name = description.displayName.replace(/\s+Trigger$/, '');
		const credentialFile = join(root, match.file);
		const codex = nodeFile.replace(/\.js$/, '.json');
		if (!existsSync(codex)) throw new Error(`${file} has no codex file beside it (${relative(root, codex)})`);
		const assets = [codex, ...iconFiles(description.icon, nodeFile), ...iconFiles(match.credential.icon, credentialFile)];
		for (const asset of assets) if (!existsSync(asset)) throw new Error(`${relative(root, asset)} is not built`);
		const closure = requireClosure([nodeFile, credentialFile], distRoot);
		const events = description.properties.find((property) => property.name === 'events')?.options ?? [];
		return {
			name,
			packageName: `n8n-nodes-${slug(name)}`,
			displayName: description.displayName,
			nodeName: description.name,
			nodeFile: file,
			credentialName,
			credentialDisplayName: match.credential.displayName,
			credentialFile: match.file,
			credentialProperties: match.credential.properties.map((property) => ({
				name: property.name,
				type: property.type,
				required: property.required === true,
				password: property.typeOptions?.password === true,
			})),
			events: events.map((option) => ({ name: option.name, value: option.value })),
			compiled: closure.files.map((path) => relative(root, path)),
			external: closure.external,
			assets: [...new Set(assets.map((path) => relative(root, path)))].sort(),
		};
	});
	return { pkg, providers };
}

/** A module compiled code may require in a package with no runtime dependencies. */
export function isAllowedExternal(spec) {
	return PEER_MODULES.has(spec) || (BUILTINS.has(spec) && !DENIED_BUILTINS.has(spec));
}
