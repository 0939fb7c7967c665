/**
 * The package as a whole on a real n8n: every node and credential that package.json's "n8n" block
 * declares is loaded from `<user folder>/.n8n/nodes`, under `<package name>.<node name>`, with one
 * POST webhook at path "webhook".
 */
import * as path from 'node:path';

import { lineFromEnv, REPO_ROOT } from '../../scripts/n8n/n8n';
import { nodeType, PACKAGE_NAME } from '../../scripts/n8n/workflows';
import { n8nForSuite } from './harness/deliveries';

const line = lineFromEnv();

interface Described {
	description: { name: string; version: number | number[]; webhooks?: Array<Record<string, unknown>> };
}

interface NamedCredential {
	name: string;
}

/** Instantiates every exported class of a built file of this package. */
function instancesOf<T>(file: string): T[] {
	const exported = require(path.join(REPO_ROOT, file)) as Record<string, unknown>;
	return Object.values(exported)
		.filter((value): value is new () => T => typeof value === 'function')
		.map((Class) => new Class());
}

describe(`package ${PACKAGE_NAME} on n8n line ${line}`, () => {
	const suite = n8nForSuite();
	const manifest = require(path.join(REPO_ROOT, 'package.json')) as {
		name: string;
		n8n: { nodes: string[]; credentials: string[] };
	};

	test('the package name is the one the harness prefixes node types with', () => {
		expect(manifest.name).toBe(PACKAGE_NAME);
	});

	test('every declared node type is loaded, with one POST webhook at path "webhook"', async () => {
		const declared = manifest.n8n.nodes.flatMap((file) => instancesOf<Described>(file).map((node) => node.description));
		expect(declared).toHaveLength(manifest.n8n.nodes.length);

		const loaded = await suite.get().nodeTypeNames();
		for (const description of declared) expect(loaded).toContain(nodeType(description.name));

		const served = await suite.get().nodeTypeDescriptions(
			declared.map((description) => ({
				name: nodeType(description.name),
				version: Array.isArray(description.version) ? Math.max(...description.version) : description.version,
			})),
		);
		expect(served.map((description) => description.name).sort()).toEqual(
			declared.map((description) => description.name).sort(),
		);
		for (const description of served) {
			expect(description.webhooks).toEqual([
				expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
			]);
		}
	});

	test('every declared credential type is loaded', async () => {
		const declared = manifest.n8n.credentials.flatMap((file) => instancesOf<NamedCredential>(file).map((c) => c.name));
		expect(declared).toHaveLength(manifest.n8n.credentials.length);

		const loaded = await suite.get().credentialTypeNames();
		for (const name of declared) expect(loaded).toContain(name);
	});
});
