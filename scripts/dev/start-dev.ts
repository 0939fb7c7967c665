/**
 * `npm run dev`: the pinned n8n with this package installed as users install it, an embedded
 * SQLite database in a fresh user folder, and one demo workflow per trigger with a demo credential.
 * Prints the editor URL, the login, and each trigger's production URL; stops n8n on Ctrl-C.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { N8n, REPO_ROOT, lineFromEnv } from '../n8n/n8n';
import { triggerWorkflow } from '../n8n/workflows';

interface DemoProvider {
	title: string;
	nodeType: string;
	credentialType: string;
	webhookId: string;
	credentials: Record<string, string>;
}

const demo = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'dev', 'demo.json'), 'utf8')) as {
	devPort: number;
	providers: Record<string, DemoProvider>;
};

async function main(): Promise<void> {
	const line = lineFromEnv();
	process.stdout.write(`Preparing n8n (line ${line}); the first run installs it into the cache, which takes minutes...\n`);
	const n8n = await N8n.create({ line });
	n8n.port = Number(process.env.N8N_DEV_PORT ?? demo.devPort);

	const providers = Object.entries(demo.providers);
	const credentials = await n8n.importCredentials(
		providers.map(([, provider]) => ({
			name: `${provider.title} demo`,
			type: provider.credentialType,
			data: provider.credentials,
		})),
	);
	await n8n.importWorkflows(
		providers.map(([, provider], index) =>
			triggerWorkflow({
				name: `${provider.title} demo`,
				node: provider.nodeType,
				triggerName: `${provider.title} Trigger`,
				credentialType: provider.credentialType,
				credential: { id: credentials[index].id, name: credentials[index].name },
				webhookId: provider.webhookId,
			}).workflow,
		),
	);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('\nStopping n8n...\n');
		await n8n.dispose();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	await n8n.start({ timeoutMs: 180_000 });
	const base = `http://localhost:${n8n.port}`;
	const lines = [
		'',
		`n8n ${n8n.installation.n8nVersion} is running with n8n-nodes-site-webhooks loaded.`,
		`  Editor:   ${base}/   (sign in as ${n8n.owner.email} / ${n8n.owner.password})`,
		`  Data:     ${n8n.userFolder} (SQLite; removed when you stop)`,
		'',
		'Demo workflows, active, one per trigger (production URLs):',
		...providers.map(([key, provider]) => `  ${key.padEnd(12)} ${base}/webhook/${provider.webhookId}/webhook`),
		'',
		'Send a signed sample delivery from another terminal, then open the workflow\'s executions:',
		'  npm run send -- sitemark job.completed',
		'  npm run send -- sitemapxml crawl.error --xml',
		'',
		'Press Ctrl-C to stop.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exit(1);
});
