/**
 * Every single-service package installed the way users install community nodes, into one real
 * n8n 2.x together with the all-in-one package: all load, with no clash, and each trigger, from
 * either package, starts one execution for a signed delivery and none for a forged one.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { N8n, nodeOutput, type WorkflowDefinition } from '../../scripts/n8n/n8n';
import {
	REPO_ROOT,
	credentialData,
	readManifest,
	sampleDelivery,
	signedHeaders,
	signingFacts,
	type SigningFacts,
	type SinglePackage,
} from './manifest';

const manifest = readManifest();
const ROOT = manifest.root.name;

/** Installs tarballs as n8n's user folder holds community packages: `.n8n/nodes/node_modules/<name>`. */
function installPackages(n8n: N8n, tarballs: Record<string, string>): void {
	const nodesDir = path.join(n8n.n8nFolder, 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const dependencies: Record<string, string> = {};
	for (const [name, tarball] of Object.entries(tarballs)) {
		const copy = path.join(n8n.userFolder, path.basename(tarball));
		fs.copyFileSync(tarball, copy);
		dependencies[name] = `file:${copy}`;
	}
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies }, null, 2));
	// As scripts/n8n/n8n.ts installs one package: no scripts, no dev or peer dependencies (n8n provides n8n-workflow).
	execFileSync(
		'npm',
		['install', '--ignore-scripts', '--omit=dev', '--omit=peer', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', '--install-links'],
		{ cwd: nodesDir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5 * 60_000 },
	);
	for (const name of Object.keys(tarballs)) {
		if (!fs.existsSync(path.join(nodesDir, 'node_modules', name, 'package.json'))) throw new Error(`npm install did not install ${name}`);
	}
}

function triggerWorkflow(type: string, credentialType: string, credential: { id: string; name: string }): { workflow: WorkflowDefinition; webhookId: string } {
	const webhookId = randomUUID();
	const workflow: WorkflowDefinition = {
		name: `${type} ${webhookId.slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Trigger',
				type,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: {},
				credentials: { [credentialType]: credential },
			},
			{ id: randomUUID(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { Trigger: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	return { workflow, webhookId };
}

/** The path of the node's webhook, from its own description. */
function webhookPath(pkg: SinglePackage): string {
	const exported = require(path.join(REPO_ROOT, pkg.folder, pkg.nodeFile)) as Record<string, new () => { description: { webhooks: Array<{ path: string }> } }>;
	const [node] = Object.values(exported).map((Class) => new Class());
	return node.description.webhooks[0].path;
}

interface Trigger {
	owner: string;
	id: string;
	url: string;
}

/** One provider's credential and sample, kept from the first n8n start to the second, and its triggers. */
interface Provider {
	pkg: SinglePackage;
	facts: SigningFacts;
	event: string;
	raw: string;
	secret: string;
	credential: { id: string; name: string };
	triggers: Trigger[];
}

describe('single-service packages in a real n8n 2.x, alone and then beside the all-in-one package', () => {
	let n8n: N8n;
	const providers = new Map<string, Provider>();
	const tarball = (file: string) => path.join(REPO_ROOT, file);
	const singles = Object.fromEntries(manifest.packages.map((pkg) => [pkg.packageName, tarball(pkg.tarball)]));

	async function deployTrigger(provider: Provider, owner: string): Promise<void> {
		const { pkg } = provider;
		const { workflow, webhookId } = triggerWorkflow(`${owner}.${pkg.nodeName}`, pkg.credentialName, provider.credential);
		const id = await n8n.deploy(workflow);
		provider.triggers.push({ owner, id, url: n8n.productionUrl(webhookId, webhookPath(pkg)) });
	}

	/** Sends a signed and a forged delivery to each trigger; each must then have `expected[owner]` executions. */
	async function signedThenForged(provider: Provider, expected: Record<string, number>): Promise<void> {
		const { facts, event, raw, secret } = provider;
		for (const trigger of provider.triggers) {
			const signed = await n8n.request('POST', trigger.url, { rawBody: raw, headers: signedHeaders(facts, secret, raw, event) });
			expect([trigger.owner, signed.status]).toEqual([trigger.owner, 200]);
			const [latest] = await n8n.waitForExecutions(trigger.id, expected[trigger.owner]);
			expect([trigger.owner, latest.status]).toEqual([trigger.owner, 'success']);
			const [item] = nodeOutput(await n8n.execution(latest.id), 'Trigger');
			expect(item.event).toBe(event);
		}
		for (const trigger of provider.triggers) {
			const forged = await n8n.request('POST', trigger.url, { rawBody: raw, headers: signedHeaders(facts, `${secret}x`, raw, event) });
			expect([trigger.owner, forged.status]).toEqual([trigger.owner, facts.rejectionStatus]);
		}
		for (const [index, trigger] of provider.triggers.entries()) {
			const executions = await n8n.executionsAfterSettling(trigger.id, index === 0 ? 2000 : 0);
			expect([trigger.owner, executions.length]).toEqual([trigger.owner, expected[trigger.owner]]);
		}
	}

	beforeAll(async () => {
		n8n = await N8n.create({ line: '2', installPackage: false });
		try {
			installPackages(n8n, singles);
			await n8n.start();
		} catch (error) {
			await n8n.dispose();
			throw error;
		}
	}, 10 * 60_000);

	afterAll(async () => {
		await n8n?.dispose();
	}, 120_000);

	it('installed without the all-in-one package, loads each trigger under its own package name with its credential', async () => {
		const nodeTypes = await n8n.nodeTypeNames();
		const credentialTypes = await n8n.credentialTypeNames();
		for (const pkg of manifest.packages) {
			expect(nodeTypes).toContain(`${pkg.packageName}.${pkg.nodeName}`);
			expect(nodeTypes).not.toContain(`${ROOT}.${pkg.nodeName}`);
			expect(credentialTypes.filter((name) => name === pkg.credentialName)).toHaveLength(1);
		}
		expect(n8n.logs(2000)).not.toMatch(/Failed to load package/);
	});

	it.each(manifest.packages.map((pkg) => [pkg.displayName, pkg] as const))(
		'%s alone: a signed delivery starts one execution, a forged one none',
		async (_name, pkg) => {
			const { event, body } = sampleDelivery(pkg);
			const secret = randomBytes(24).toString('hex');
			const credential = await n8n.createCredential({
				name: `${pkg.credentialDisplayName} ${event}`,
				type: pkg.credentialName,
				data: credentialData(pkg, secret, body),
			});
			const provider: Provider = { pkg, facts: signingFacts(pkg), event, raw: JSON.stringify(body), secret, credential, triggers: [] };
			providers.set(pkg.packageName, provider);
			await deployTrigger(provider, pkg.packageName);
			await signedThenForged(provider, { [pkg.packageName]: 1 });
		},
		120_000,
	);

	it(`with ${ROOT} installed beside them, n8n loads all six packages`, async () => {
		await n8n.stop();
		installPackages(n8n, { ...singles, [ROOT]: tarball(manifest.root.tarball) });
		await n8n.start();
		const nodeTypes = await n8n.nodeTypeNames();
		const credentialTypes = await n8n.credentialTypeNames();
		for (const pkg of manifest.packages) {
			expect(nodeTypes).toContain(`${pkg.packageName}.${pkg.nodeName}`);
			expect(nodeTypes).toContain(`${ROOT}.${pkg.nodeName}`);
			expect(credentialTypes).toContain(pkg.credentialName);
		}
		expect(n8n.logs(2000)).not.toMatch(/Failed to load package/);
	}, 5 * 60_000);

	it.each(manifest.packages.map((pkg) => [pkg.displayName, pkg] as const))(
		'%s side by side: both triggers, on one credential, start one execution per signed delivery and none for a forged one',
		async (_name, pkg) => {
			const alone = providers.get(pkg.packageName);
			if (!alone) throw new Error(`${pkg.displayName} alone did not run`);
			// Fresh triggers: the one deployed alone drops the same sample again as a duplicate.
			const provider: Provider = { ...alone, triggers: [] };
			await deployTrigger(provider, pkg.packageName);
			await deployTrigger(provider, ROOT);
			await signedThenForged(provider, { [pkg.packageName]: 1, [ROOT]: 1 });
		},
		120_000,
	);
});
