/**
 * A provider is its folder under nodes/, one line each in package.json's `n8n` block (node and
 * credential), its samples, an example workflow, a README section and a CHANGELOG line; every tool
 * and test reads the one provider list (test/support/providers.ts) and signs with the one signer
 * (test/support/signer.ts). This guard names what a provider folder lacks, and any tool or test
 * that keeps a list or a signer of its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import type { TriggerProvider } from '../../../nodes/shared/TriggerProvider';
import { PROVIDERS, REPO_ROOT } from '../../support/providers';

const PACKAGE_NAME = 'n8n-nodes-site-webhooks';
const NODES_DIR = path.join(REPO_ROOT, 'nodes');

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const changelog = fs.readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');

/** Every provider folder under nodes/: everything but the shared mechanism. */
const FOLDERS = fs
	.readdirSync(NODES_DIR, { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
	.map((entry) => entry.name)
	.sort();

function exportsOf(file: string): unknown[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return Object.values(require(file) as Record<string, unknown>);
}

interface Folder {
	folder: string;
	/** The trigger's source file, `<Something>.node.ts`, if there is exactly one. */
	nodeFile?: string;
	node?: INodeType;
	facts?: TriggerProvider;
}

/** What a provider folder holds, read from its sources (not from package.json, which may lack it). */
function readFolder(folder: string): Folder {
	const dir = path.join(NODES_DIR, folder);
	const nodeFiles = fs.readdirSync(dir).filter((file) => file.endsWith('.node.ts'));
	const nodeFile = nodeFiles.length === 1 ? path.join(dir, nodeFiles[0]) : undefined;
	const NodeClass = nodeFile === undefined ? undefined : exportsOf(nodeFile).find((value) => typeof value === 'function');
	const factsFile = path.join(dir, `${folder}Provider.ts`);
	const facts = fs.existsSync(factsFile)
		? (exportsOf(factsFile).find((value) => typeof value === 'object' && value !== null && 'signature' in value && 'credential' in value) as
				| TriggerProvider
				| undefined)
		: undefined;
	return {
		folder,
		nodeFile,
		node: NodeClass === undefined ? undefined : new (NodeClass as new () => INodeType)(),
		facts,
	};
}

/** The declared credential file (`dist/credentials/<File>.credentials.js`) whose type is `type`, if any. */
function declaredCredentialOf(type: string): string | undefined {
	return manifest.n8n.credentials.find((declared) => {
		const source = path.join(REPO_ROOT, declared.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		if (!fs.existsSync(source)) return false;
		return exportsOf(source).some(
			(value) => typeof value === 'function' && (new (value as new () => ICredentialType)()).name === type,
		);
	});
}

/** `text` names `name` as a word of its own: "Sitemark" is not named by "Sitemarks". */
function names(text: string, name: string): boolean {
	const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`).test(text);
}

/** Everything a provider folder lacks, as sentences naming it. */
function missing(info: Folder): string[] {
	const { folder, node, facts, nodeFile } = info;
	const lacks: string[] = [];
	if (nodeFile === undefined || node === undefined) return [`nodes/${folder}: exactly one trigger (<Name>.node.ts exporting its class)`];
	if (facts === undefined) return [`nodes/${folder}/${folder}Provider.ts: the provider's facts`];
	const nodeName = node.description.name;
	const declaredNode = `dist/nodes/${folder}/${path.basename(nodeFile).replace(/\.ts$/, '.js')}`;
	if (!manifest.n8n.nodes.includes(declaredNode)) lacks.push(`package.json n8n.nodes: "${declaredNode}"`);
	if (declaredCredentialOf(facts.credential.type) === undefined) {
		lacks.push(`package.json n8n.credentials: the credential file of type ${facts.credential.type} (credentials/*.credentials.ts)`);
	}

	const samplesDir = path.join(REPO_ROOT, 'nodes', folder, 'samples');
	const samples = fs.existsSync(samplesDir) ? fs.readdirSync(samplesDir).filter((file) => /\.(json|xml)$/.test(file)) : [];
	for (const event of facts.events) {
		if (!samples.some((file) => file.startsWith(`${event.value}.`))) lacks.push(`nodes/${folder}/samples/: a sample of ${event.value} (${event.value}.json)`);
	}

	const examples = fs
		.readdirSync(path.join(REPO_ROOT, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.filter((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as { nodes?: Array<{ type?: string }> };
			return (workflow.nodes ?? []).some((candidate) => candidate.type === `${PACKAGE_NAME}.${nodeName}`);
		});
	if (examples.length === 0) lacks.push(`examples/: a workflow using ${PACKAGE_NAME}.${nodeName}`);

	const headings = readme.split('\n').filter((line) => /^#{1,6} /.test(line));
	if (!headings.some((heading) => names(heading, facts.name))) lacks.push(`README.md: a section whose heading names ${facts.name}`);
	if (!changelog.split('\n').some((line) => names(line, facts.name))) lacks.push(`CHANGELOG.md: a line naming ${facts.name}`);

	const { icon } = node.description;
	const light = typeof icon === 'object' ? icon.light : undefined;
	const dark = typeof icon === 'object' ? icon.dark : undefined;
	for (const [theme, file] of [['light', light], ['dark', dark]] as const) {
		if (typeof file !== 'string' || !file.startsWith('file:')) lacks.push(`${folder}: a ${theme} icon (description.icon.${theme} = 'file:<name>.svg')`);
		else if (!fs.existsSync(path.join(NODES_DIR, folder, file.slice('file:'.length)))) lacks.push(`nodes/${folder}/${file.slice('file:'.length)}: its ${theme} icon`);
	}
	if (light !== undefined && light === dark) lacks.push(`${folder}: a dark icon of its own`);

	const codexFile = nodeFile.replace(/\.ts$/, '.json');
	if (!fs.existsSync(codexFile)) lacks.push(`nodes/${folder}/${path.basename(codexFile)}: its codex file`);
	else {
		const codex = JSON.parse(fs.readFileSync(codexFile, 'utf8')) as { node?: string };
		if (codex.node !== `${PACKAGE_NAME}.${nodeName}`) lacks.push(`nodes/${folder}/${path.basename(codexFile)}: "node": "${PACKAGE_NAME}.${nodeName}"`);
	}
	return lacks;
}

// ---------------------------------------------------------------------------------------------
// The consumers: every tool and test outside the unit tests that goes over the providers or signs.

/** Folders and files whose tools and tests must read the one list and sign with the one signer. */
const CONSUMERS = [
	'test/e2e',
	'test/browser',
	'test/queue',
	'test/reliability',
	'test/dev',
	'test/bench',
	'scripts/dev',
	'scripts/n8n',
];

function filesUnder(relative: string): string[] {
	const full = path.join(REPO_ROOT, relative);
	if (!fs.existsSync(full)) return [];
	if (fs.statSync(full).isFile()) return [relative];
	return fs
		.readdirSync(full, { withFileTypes: true })
		.flatMap((entry) =>
			entry.isDirectory() ? filesUnder(path.join(relative, entry.name)) : /\.(ts|mjs|cjs|js|json)$/.test(entry.name) ? [path.join(relative, entry.name)] : [],
		);
}

const consumerFiles = CONSUMERS.flatMap(filesUnder)
	.filter((file) => !/(^|\/)(jest\.[a-z]+\.config\.js|tsconfig\.json)$/.test(file))
	.sort();
/** A consumer's code without its comments (a comment may name an example). */
const textOf = (file: string) =>
	fs
		.readFileSync(path.join(REPO_ROOT, file), 'utf8')
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/(^|\s)\/\/.*$/gm, '$1');

describe('every provider folder is a whole provider', () => {
	test('nodes/ holds provider folders, and package.json declares a node for each and nothing else', () => {
		expect(FOLDERS.length).toBeGreaterThan(0);
		const declaredFolders = manifest.n8n.nodes.map((declared) => path.basename(path.dirname(declared))).sort();
		expect(declaredFolders.filter((folder) => !FOLDERS.includes(folder))).toEqual([]);
	});

	test.each(FOLDERS)('%s: declared in package.json, with samples of every event, an example, a README section, a CHANGELOG line, icons and codex', (folder) => {
		expect({ folder, missing: missing(readFolder(folder)) }).toEqual({ folder, missing: [] });
	});

	test('the one provider list has exactly the provider folders, each with its declared credential', () => {
		expect(PROVIDERS.map((provider) => provider.folder).sort()).toEqual(FOLDERS);
		for (const provider of PROVIDERS) expect(provider.credential.name).toBe(provider.credentialType);
		expect(manifest.n8n.credentials).toHaveLength(new Set(PROVIDERS.map((provider) => provider.declaredCredential)).size);
	});
});

describe('every tool and test reads the one provider list and signs with the one signer', () => {
	test('the consumers exist', () => {
		expect(consumerFiles.length).toBeGreaterThan(10);
	});

	test('no tool or test names a provider\'s node or credential type: they read them from the list', () => {
		const named = consumerFiles.flatMap((file) => {
			const text = textOf(file);
			return PROVIDERS.flatMap((provider) =>
				[provider.nodeName, provider.credentialType].filter((name) => names(text, name)).map((name) => `${file}: ${name}`),
			);
		});
		expect(named).toEqual([]);
	});

	test('no tool or test signs on its own: test/support/signer.ts is the one signer', () => {
		// The single-service packages' tests read the facts from the generated packages, not from the
		// list, but sign with the one signer all the same.
		const signing = [...consumerFiles, ...filesUnder('test/packages')].filter((file) => /\bcreateHmac\b|\.createHmac\(|from ['"](node:)?crypto['"][^\n]*\bHmac\b/.test(textOf(file)));
		expect(signing).toEqual([]);
	});

	test('no hand-kept demo or provider table is left beside the list', () => {
		const tables = consumerFiles.filter((file) => file.endsWith('.json'));
		expect(tables).toEqual([]);
		expect(fs.existsSync(path.join(REPO_ROOT, 'scripts', 'dev', 'demo.json'))).toBe(false);
	});
});
