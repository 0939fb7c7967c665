/**
 * `npm run dev`: the pinned n8n with this package installed as users install it, an embedded
 * SQLite database in a fresh user folder, and one demo workflow per trigger with a demo credential.
 * Prints the editor URL, the login, and each trigger's production URL; stops n8n on Ctrl-C.
 * With `--queue` (`npm run dev -- --queue`): the same demo on n8n's queue mode, with PostgreSQL and
 * Redis private to the run, two webhook processes that take the deliveries and a worker.
 */
import { N8n, lineFromEnv } from '../n8n/n8n';
import { startQueueMode, type QueueModeStack } from '../n8n/queueMode';
import { triggerWorkflow } from '../n8n/workflows';
import { DEV_PORT, demoProviders, demoUrl, type DemoProvider } from './demo';

/** One demo credential and one active demo workflow per trigger (n8n stopped: CLI imports). */
async function importDemo(n8n: N8n, providers: DemoProvider[]): Promise<void> {
	const credentials = await n8n.importCredentials(
		providers.map((provider) => ({
			name: provider.title,
			type: provider.credentialType,
			data: provider.credentials,
		})),
	);
	await n8n.importWorkflows(
		providers.map((provider, index) =>
			triggerWorkflow({
				name: provider.title,
				node: provider.nodeName,
				triggerName: provider.triggerName,
				credentialType: provider.credentialType,
				credential: { id: credentials[index].id, name: credentials[index].name },
				webhookId: provider.webhookId,
			}).workflow,
		),
	);
}

async function main(): Promise<void> {
	const line = lineFromEnv();
	const queue = process.argv.includes('--queue');
	const devPort = DEV_PORT;
	// The demo is read from the built package, once n8n's preparation has built it.
	let providers: DemoProvider[] = [];
	const prepareDemo = async (prepared: N8n) => {
		providers = demoProviders();
		await importDemo(prepared, providers);
	};
	process.stdout.write(
		`Preparing n8n (line ${line}${queue ? ', queue mode' : ''}); the first run installs it into the cache, which takes minutes...\n`,
	);

	let n8n: N8n;
	let stack: QueueModeStack | undefined;
	if (queue) {
		// Webhook processes on the next ports: `npm run send -- ... --port <port>` reaches them.
		stack = await startQueueMode({
			line,
			mainPort: devPort,
			webhookPorts: [devPort + 1, devPort + 2],
			beforeStart: prepareDemo,
			startTimeoutMs: 180_000,
		});
		n8n = stack.n8n;
	} else {
		n8n = await N8n.create({ line });
		n8n.port = devPort;
		await prepareDemo(n8n);
	}

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('\nStopping n8n...\n');
		if (stack) await stack.stop();
		else await n8n.dispose();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	if (!stack) await n8n.start({ timeoutMs: 180_000 });
	const base = `http://localhost:${n8n.port}`;
	const receivers = stack ? stack.webhooks.map((webhook) => webhook.port) : [n8n.port];
	const lines = [
		'',
		`n8n ${n8n.installation.n8nVersion} is running with n8n-nodes-site-webhooks loaded${stack ? ' in queue mode' : ''}.`,
		`  Editor:   ${base}/   (sign in as ${n8n.owner.email} / ${n8n.owner.password})`,
		stack
			? `  Data:     PostgreSQL on 127.0.0.1:${stack.postgres.port}, Redis on 127.0.0.1:${stack.redis.port}, ${n8n.userFolder} (removed when you stop)`
			: `  Data:     ${n8n.userFolder} (SQLite; removed when you stop)`,
		...(stack
			? [
					`  Queue:    webhook processes on ports ${receivers.join(' and ')} take the deliveries; ${stack.workers.length} worker runs them`,
				]
			: []),
		'',
		'Demo workflows, active, one per trigger (production URLs):',
		...providers.map((provider) => `  ${provider.key.padEnd(12)} ${demoUrl(provider, receivers[0])}`),
		'',
		'Send a signed sample delivery from another terminal, then open the workflow\'s executions:',
		...(stack
			? receivers.map((port) => `  npm run send -- sitemark job.completed --port ${port}`)
			: ['  npm run send -- sitemark job.completed', '  npm run send -- sitemapxml crawl.error --xml']),
		'',
		'Press Ctrl-C to stop.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exit(1);
});
