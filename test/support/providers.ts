/**
 * The providers this package ships, derived from what it declares: every node in package.json's
 * `n8n` block is one provider, whose folder under nodes/ holds its trigger and its facts
 * (`<Folder>Provider.ts`). Every test, benchmark and tool that goes over the providers reads this
 * list; none keeps a list of its own.
 *
 * Under jest the sources are loaded (ts-jest compiles them); anywhere else the built package in
 * dist/ is, so `npm run build` must have run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import type { TriggerProvider } from '../../nodes/shared/TriggerProvider';

export const REPO_ROOT = path.resolve(__dirname, '..', '..').replace(/[\\/]\.dev-build$/, '');

export interface Sample {
	event: string;
	format: 'json' | 'xml';
	/** The sample's file. */
	file: string;
}

export interface Provider {
	/** The provider's folder under nodes/, e.g. `SitemapXml`. */
	folder: string;
	/** The folder in lower case: samples, demo credentials and command-line names use it. */
	key: string;
	/** The provider's facts, as the trigger reads them. */
	facts: TriggerProvider;
	/** A fresh instance of the provider's trigger. */
	node: () => INodeType;
	/** The trigger's node name (`description.name`), e.g. `sitemarkTrigger`. */
	nodeName: string;
	/** The trigger's display name, e.g. `Sitemark Trigger`. */
	displayName: string;
	credentialType: string;
	/** The credential class the package declares for it. */
	credential: ICredentialType;
	/** Where the provider's documented sample deliveries are. */
	samplesDir: string;
	samples: Sample[];
	/** The node entry in package.json's `n8n` block. */
	declaredNode: string;
	declaredCredential: string;
}

interface PackageJson {
	n8n: { nodes: string[]; credentials: string[] };
}

// Run as TypeScript (ts-jest compiles it), this file loads the sources; compiled, the built package.
// (Jest's `jest` object is no global, and JEST_WORKER_ID reaches the commands a test starts.)
const fromSource = __filename.endsWith('.ts');

/** Loads a built file of the package named in the `n8n` block: its source under jest, else itself. */
function load(declared: string): Record<string, unknown> {
	const file = fromSource ? declared.replace(/^dist\//, '').replace(/\.js$/, '.ts') : declared;
	return require(path.join(REPO_ROOT, file)) as Record<string, unknown>;
}

function instances<T>(declared: string): T[] {
	return Object.values(load(declared))
		.filter((value): value is new () => T => typeof value === 'function')
		.map((Class) => new Class());
}

function isFacts(value: unknown): value is TriggerProvider {
	return typeof value === 'object' && value !== null && 'signature' in value && 'credential' in value;
}

/** The samples in `samplesDir`, each named `<event>[.<variant>].<json|xml>`. */
function samplesOf(samplesDir: string, facts: TriggerProvider): Sample[] {
	if (!fs.existsSync(samplesDir)) return [];
	return fs
		.readdirSync(samplesDir)
		.filter((file) => /\.(json|xml)$/.test(file))
		.sort()
		.map((file) => {
			const name = file.replace(/\.(json|xml)$/, '');
			const event = facts.events.find((option) => name === option.value || name.startsWith(`${option.value}.`));
			if (event === undefined) throw new Error(`${file} in ${samplesDir} names no event of ${facts.name}`);
			return { event: event.value, format: file.endsWith('.xml') ? ('xml' as const) : ('json' as const), file: path.join(samplesDir, file) };
		});
}

function readProviders(): Provider[] {
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
	const credentials = manifest.n8n.credentials.map((declared) => ({ declared, type: instances<ICredentialType>(declared)[0] }));
	return manifest.n8n.nodes.map((declaredNode) => {
		const folder = path.basename(path.dirname(declaredNode));
		const [node] = instances<INodeType>(declaredNode);
		const facts = Object.values(load(path.join(path.dirname(declaredNode), `${folder}Provider.js`))).find(isFacts);
		if (facts === undefined) throw new Error(`${folder}: no provider facts in ${folder}Provider`);
		const credentialType = facts.credential.type;
		const credential = credentials.find((candidate) => candidate.type.name === credentialType);
		if (credential === undefined) throw new Error(`${folder}: package.json declares no credential ${credentialType}`);
		const key = folder.toLowerCase();
		const samplesDir = path.join(REPO_ROOT, 'nodes', folder, 'samples');
		const NodeClass = node.constructor as new () => INodeType;
		return {
			folder,
			key,
			facts,
			node: () => new NodeClass(),
			nodeName: node.description.name,
			displayName: node.description.displayName,
			credentialType,
			credential: credential.type,
			samplesDir,
			samples: samplesOf(samplesDir, facts),
			declaredNode,
			declaredCredential: credential.declared,
		};
	});
}

/** Every provider the package declares, in the order of package.json's `n8n` block. */
export const PROVIDERS: readonly Provider[] = readProviders();

/** The provider of `key` (the folder in lower case, e.g. `sitemapxml`); throws for an unknown one. */
export function provider(key: string): Provider {
	const found = PROVIDERS.find((candidate) => candidate.key === key.toLowerCase());
	if (found === undefined) throw new Error(`Unknown provider "${key}": one of ${PROVIDERS.map((p) => p.key).join(', ')}`);
	return found;
}
