/**
 * Reliability on a real n8n (line 2 by default: 2.40.7 on Node 24), with this package installed
 * from its tarball as users install it:
 *
 *   1. Load held: 1,000 signed and 1,000 forged Sitemark deliveries, interleaved, 50 in flight.
 *   2. Retries and duplicates: Sitemap.xml ids delivered three times, spaced apart; then copies
 *      of one delivery arriving at the same moment (measured, not asserted: see the README).
 *   3. Faults survived: n8n stopped and started on the same user folder in the middle of a stream.
 *   4. Payload limits: bodies up to n8n's N8N_PAYLOAD_SIZE_MAX (16 MiB) and over it.
 *
 * Every figure is printed as Markdown tables at the end of the run (and written to the file named
 * by RELIABILITY_REPORT_FILE, if set). RELIABILITY.md holds the tables of a recorded run.
 *
 *   npx jest -c test/reliability/jest.reliability.config.js
 *
 * Before starting n8n the suite waits (polling every 20 s) until no other n8n runs on the machine
 * (`pgrep -f n8n/bin/n8n`), so that the figures are not another suite's; RELIABILITY_NO_WAIT=1
 * skips the wait. Each section's table says whether another n8n appeared while it was measured.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';

import { fixtureText, sitemarkJobCompleted } from '../e2e/harness/deliveries';
import { lineFromEnv, N8n, nodeOutput, type ExecutionDetail, type ExecutionSummary } from '../../scripts/n8n/n8n';
import { triggerWorkflow } from '../../scripts/n8n/workflows';
import { signedHeaders } from '../support/deliveries';
import { provider } from '../support/providers';
import {
	describeTally,
	distribution,
	groupPids,
	mapConcurrently,
	ms,
	otherN8nPids,
	post,
	runDeliveries,
	sleep,
	table,
	tally,
	type Delivery,
	type Outcome,
} from './load';

const line = lineFromEnv();
const RUN = randomUUID().slice(0, 8);

const SITEMARK_SECRET = 'reliability-sitemark-secret-8e21';
const SITEMAP_SECRET = 'reliability-sitemapxml-secret-47b0';
const FORGING_SECRET = 'not-the-signing-secret';
const SITEMARK = provider('sitemark');
const SITEMAPXML = provider('sitemapxml');
const SITEMARK_TRIGGER = SITEMARK.displayName;
const SITEMAP_TRIGGER = SITEMAPXML.displayName;
const TERMINAL = new Set(['success', 'error', 'crashed', 'canceled']);

/** n8n's default N8N_PAYLOAD_SIZE_MAX is 16 (MiB: raw-body reads "16mb" as 16 × 2^20 bytes). */
const PAYLOAD_LIMIT = 16 * 1024 * 1024;
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// What is reported

const environment: Array<[string, string]> = [];
const sections: Array<{ title: string; body: string }> = [];
/** Filled by the reference test (n8n's own Webhook node), printed under "Load held". */
const referenceRows: Array<[string, string | number]> = [];

function report(title: string, body: string): void {
	sections.push({ title, body });
}

function reportText(): string {
	if (referenceRows.length > 0) {
		report("Reference: n8n's own Webhook node under the same load", table(['figure', 'value'], referenceRows));
	}
	const parts = [
		`## Reliability run ${new Date().toISOString()}`,
		table(
			['', ''],
			environment.map(([name, value]) => [name, value]),
		),
		...sections.map(({ title, body }) => `### ${title}\n\n${body}`),
	];
	return `\n${parts.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Deliveries

const jobCompleted = sitemarkJobCompleted;

/** A Sitemark delivery, signed as Sitemark signs (the one signer). */
function sitemarkDelivery(jobId: string, kind: string, { forged = false, body }: { forged?: boolean; body?: Buffer } = {}): Delivery {
	const bytes = body ?? Buffer.from(JSON.stringify(jobCompleted(jobId)));
	return {
		key: jobId,
		kind,
		body: bytes,
		headers: signedHeaders(SITEMARK, bytes, forged ? FORGING_SECRET : SITEMARK_SECRET),
	};
}

const emptyBodySize = (jobId: string) => Buffer.byteLength(JSON.stringify(jobCompleted(jobId, '')));

/** A job.completed body of exactly `size` bytes (the padding is in data.notes). */
function sitemarkBodyOfSize(jobId: string, size: number): Buffer {
	const empty = emptyBodySize(jobId);
	if (size < empty) throw new Error(`a body cannot be smaller than ${empty} bytes`);
	const body = Buffer.from(JSON.stringify(jobCompleted(jobId, 'x'.repeat(size - empty))));
	if (body.length !== size) throw new Error(`built ${body.length} bytes, not ${size}`);
	return body;
}

/** The documented sitemap.generated delivery with another id, signed as Sitemap.xml signs. */
function sitemapDelivery(id: string, kind: string): Delivery {
	const sample = fixtureText('sitemapxml', 'sitemap.generated.json');
	if (!sample.includes('"whk_2x9k4m8p1q7r3v5z"')) throw new Error('the sitemap.generated fixture changed');
	const body = Buffer.from(sample.replace('whk_2x9k4m8p1q7r3v5z', id));
	return {
		key: id,
		kind,
		body,
		headers: signedHeaders(SITEMAPXML, body, SITEMAP_SECRET),
	};
}

// ---------------------------------------------------------------------------------------------
// Reading what ran

interface Settled {
	executions: ExecutionSummary[];
	/** Milliseconds from the call until the list last changed. */
	waitedMs: number;
	/** At least `atLeast` executions, all finished, and no change for `quietMs`. */
	complete: boolean;
}

/**
 * Polls the workflow's executions (all pages) until every one is finished, there are at least
 * `atLeast`, and the list has not changed for `quietMs`: executions are written after the
 * webhook answered, so the count is only final once n8n has caught up. Gives up (complete:
 * false) when nothing changed for `giveUpMs` (executions lost or stuck) or after `timeoutMs`.
 */
async function settledExecutions(
	n8n: N8n,
	workflowId: string,
	{
		atLeast = 0,
		quietMs = 3000,
		giveUpMs = 20_000,
		timeoutMs = 240_000,
	}: { atLeast?: number; quietMs?: number; giveUpMs?: number; timeoutMs?: number } = {},
): Promise<Settled> {
	const started = performance.now();
	let last = '';
	let changedAt = started;
	for (;;) {
		const executions = await n8n.allExecutions(workflowId);
		const signature = executions.map((execution) => `${execution.id}:${execution.status}`).join(',');
		const now = performance.now();
		if (signature !== last) {
			last = signature;
			changedAt = now;
		}
		const complete = executions.length >= atLeast && executions.every((execution) => TERMINAL.has(execution.status));
		const quiet = now - changedAt;
		if ((complete && quiet >= quietMs) || quiet >= giveUpMs || now - started > timeoutMs) {
			return { executions, waitedMs: changedAt - started, complete };
		}
		await sleep(500);
	}
}

function statusTally(executions: ExecutionSummary[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const execution of executions) counts[execution.status] = (counts[execution.status] ?? 0) + 1;
	return counts;
}

/** For each execution, the markers its trigger output (one item per execution is expected). */
async function markersOf(
	n8n: N8n,
	executions: ExecutionSummary[],
	triggerName: string,
	marker: (item: Record<string, unknown>) => unknown,
): Promise<Array<{ id: string; status: string; fromStack: boolean; markers: string[] }>> {
	return await mapConcurrently(executions, 4, async (summary) => {
		// An execution cut short before its trigger's run was saved (crashed in a shutdown) still
		// holds the delivery's item in its execution stack; one that never started has neither.
		let items: Array<Record<string, unknown>> = [];
		let fromStack = false;
		try {
			const execution = await n8n.execution(summary.id);
			if (execution.data?.resultData?.runData?.[triggerName] !== undefined) {
				items = nodeOutput(execution, triggerName);
			} else {
				items = stackedItems(execution.data, triggerName);
				fromStack = items.length > 0;
			}
		} catch {
			items = [];
		}
		return { id: summary.id, status: summary.status, fromStack, markers: items.map((item) => String(marker(item))) };
	});
}

/** The items waiting for `nodeName` in an execution's stack (what a webhook execution starts with). */
function stackedItems(data: ExecutionDetail['data'] | undefined, nodeName: string): Array<Record<string, unknown>> {
	const stack = (data?.executionData as { nodeExecutionStack?: unknown } | undefined)?.nodeExecutionStack;
	if (!Array.isArray(stack)) return [];
	for (const entry of stack as Array<{ node?: { name?: string }; data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>) {
		if (entry.node?.name === nodeName) return (entry.data?.main?.[0] ?? []).map((item) => item.json);
	}
	return [];
}

const sitemarkMarker = (item: Record<string, unknown>) => (item.data as { job_id?: unknown } | undefined)?.job_id;
const sitemapMarker = (item: Record<string, unknown>) => item.id;

/** How many times each marker occurs. */
function occurrences(markers: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const marker of markers) counts.set(marker, (counts.get(marker) ?? 0) + 1);
	return counts;
}

/** How many lines of n8n's output (all starts so far) contain `text`. */
function n8nLogCount(n8n: N8n, text: string): number {
	let count = 0;
	for (const file of fs.readdirSync(n8n.userFolder)) {
		if (!/^n8n-start-\d+\.log$/.test(file)) continue;
		for (const logLine of fs.readFileSync(path.join(n8n.userFolder, file), 'utf8').split('\n')) {
			if (logLine.includes(text)) count++;
		}
	}
	return count;
}

/** Finished executions per second, from the first start to the last stop n8n recorded. */
function executionRate(executions: ExecutionSummary[]): string {
	const starts = executions.map((execution) => Date.parse(execution.startedAt ?? '')).filter(Number.isFinite);
	const stops = executions.map((execution) => Date.parse(execution.stoppedAt ?? '')).filter(Number.isFinite);
	if (starts.length === 0 || stops.length === 0) return '–';
	const seconds = (Math.max(...stops) - Math.min(...starts)) / 1000;
	return `${(stops.length / seconds).toFixed(0)} executions/s (${stops.length} finished in ${seconds.toFixed(1)} s)`;
}

const LOCK_TIMEOUT = 'Timeout waiting for lock SqliteWriteConnectionMutex';

const is2xx = (outcome: Outcome) => outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
/** What every trigger answers a delivery it accepted or ignored. */
const ACKNOWLEDGEMENT_TEXT = JSON.stringify({ received: true });
/**
 * n8n's own answer, 200, to any request that arrives while it is starting: between opening its
 * port and finishing its database migrations (AbstractServer.setupHealthCheck). No trigger sees it.
 */
const STARTING_UP_TEXT = 'n8n is starting up. Please wait';
const isStartingUpAnswer = (outcome: Outcome) => outcome.status === 200 && outcome.text === STARTING_UP_TEXT;
const is5xx = (outcome: Outcome) => outcome.status !== undefined && outcome.status >= 500;

// ---------------------------------------------------------------------------------------------

describe(`reliability on n8n line ${line}`, () => {
	let n8n: N8n;
	let sitemarkCredential: { id: string; name: string };
	let sitemapCredential: { id: string; name: string };

	/** Deploys `node` (Trigger → No Op) with `credential` and `parameters`; its id and production URL. */
	async function deployTrigger(
		name: string,
		node: string,
		triggerName: string,
		credentialType: string,
		credential: { id: string; name: string },
		parameters: Record<string, unknown>,
	) {
		const built = triggerWorkflow({ node, triggerName, credentialType, credential, parameters, name: `reliability ${name}` });
		const id = await n8n.deploy(built.workflow);
		return { id, url: n8n.productionUrl(built.webhookId) };
	}

	// Drop Duplicate Deliveries is on by default; said here so the test does not depend on it.
	const deploySitemark = (name: string) =>
		deployTrigger(name, SITEMARK.nodeName, SITEMARK_TRIGGER, SITEMARK.credentialType, sitemarkCredential, {
			events: ['job.completed'],
			dropDuplicates: true,
			options: {},
		});

	// Drop Duplicate Deliveries is on by default; said here so the test does not depend on it.
	const deploySitemap = (name: string) =>
		deployTrigger(name, SITEMAPXML.nodeName, SITEMAP_TRIGGER, SITEMAPXML.credentialType, sitemapCredential, {
			events: ['sitemap.generated'],
			dropDuplicates: true,
			options: {},
		});

	/** "no" when no other n8n ran at the start or the end of a measurement, else the pids seen. */
	async function contention(seenAtStart: number[]): Promise<string> {
		const own = await groupPids(n8n.processGroup);
		const seen = [...new Set([...seenAtStart, ...(await otherN8nPids(own))])];
		return seen.length === 0 ? 'no' : `yes (pids ${seen.join(', ')})`;
	}

	async function othersNow(): Promise<number[]> {
		return await otherN8nPids(await groupPids(n8n.processGroup));
	}

	beforeAll(async () => {
		if (process.env.RELIABILITY_NO_WAIT !== '1') {
			const waitStarted = Date.now();
			for (;;) {
				const others = await otherN8nPids();
				if (others.length === 0) break;
				if (Date.now() - waitStarted > 40 * 60_000) throw new Error(`another n8n (pids ${others.join(', ')}) ran for 40 minutes`);
				process.stderr.write(`[reliability] another n8n is running (pids ${others.join(', ')}); waiting 20 s\n`);
				await sleep(20_000);
			}
		}
		n8n = await N8n.create();
		await n8n.start();
		sitemarkCredential = await n8n.createCredential({
			name: 'Sitemark reliability',
			type: SITEMARK.credentialType,
			data: { webhookSecret: SITEMARK_SECRET },
		});
		sitemapCredential = await n8n.createCredential({
			name: 'Sitemap.xml reliability',
			type: SITEMAPXML.credentialType,
			data: { webhookSecret: SITEMAP_SECRET },
		});
		environment.push(
			['n8n', `${n8n.installation.n8nVersion} (line ${line}), SQLite, regular execution mode, every execution saved`],
			['n8n runs on', `Node ${n8n.installation.nodeVersion}`],
			['load generator', `node:http keep-alive over 127.0.0.1, in the jest process (Node ${process.version})`],
			['machine', `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`],
			['date', new Date().toISOString().slice(0, 10)],
		);
	}, 60 * 60_000);

	afterAll(async () => {
		await n8n?.dispose();
		const text = reportText();
		process.stdout.write(text);
		const file = process.env.RELIABILITY_REPORT_FILE;
		if (file) fs.writeFileSync(file, text);
	}, 120_000);

	// -------------------------------------------------------------------------------------------

	test('load: 1,000 signed and 1,000 forged deliveries interleaved, 50 in flight → exactly the 1,000 signed ones run', async () => {
		const SIGNED = 1000;
		const CONCURRENCY = 50;
		const workflow = await deploySitemark('load');
		// Warm-up on another workflow, so the first requests' one-off costs are not measured.
		const warmup = await deploySitemark('warm-up');
		await runDeliveries(
			warmup.url,
			Array.from({ length: 50 }, (_, i) => sitemarkDelivery(`rel-${RUN}-warm-${i}`, 'signed')),
			{ concurrency: 10 },
		);
		await settledExecutions(n8n, warmup.id, { atLeast: 50, quietMs: 1000 });

		const deliveries: Delivery[] = [];
		for (let i = 0; i < SIGNED; i++) {
			deliveries.push(sitemarkDelivery(`rel-${RUN}-load-signed-${i}`, 'signed'));
			deliveries.push(sitemarkDelivery(`rel-${RUN}-load-forged-${i}`, 'forged', { forged: true }));
		}
		const othersAtStart = await othersNow();
		const { outcomes, seconds } = await runDeliveries(workflow.url, deliveries, { concurrency: CONCURRENCY });
		const signed = outcomes.filter((outcome) => outcome.kind === 'signed');
		const forged = outcomes.filter((outcome) => outcome.kind === 'forged');
		const settled = await settledExecutions(n8n, workflow.id, { atLeast: SIGNED });
		const contended = await contention(othersAtStart);
		const found = await markersOf(n8n, settled.executions, SITEMARK_TRIGGER, sitemarkMarker);
		const markers = found.flatMap((execution) => execution.markers);
		const counts = occurrences(markers);
		const signedKeys = new Set(signed.map((outcome) => outcome.key));
		const acknowledgedNeverRun = signed.filter((outcome) => is2xx(outcome) && !counts.has(outcome.key)).length;

		const signedLatency = distribution(signed.map((outcome) => outcome.ms));
		const forgedLatency = distribution(forged.map((outcome) => outcome.ms));
		report(
			'Load held',
			[
				`${deliveries.length} deliveries to one Sitemark Trigger workflow (Trigger → No Op), signed and forged alternating, ` +
					`${CONCURRENCY} in flight over keep-alive connections; forged = a well-formed signature made with another secret.`,
				'',
				table(
					['figure', 'value'],
					[
						['deliveries sent', deliveries.length],
						['wall time', `${seconds.toFixed(2)} s`],
						['throughput (all deliveries)', `${(deliveries.length / seconds).toFixed(0)} deliveries/s`],
						['signed: answers', describeTally(tally(signed))],
						['forged: answers', describeTally(tally(forged))],
						['5xx or connection errors', outcomes.filter((outcome) => is5xx(outcome) || outcome.error !== undefined).length],
						['executions recorded', `${settled.executions.length} (${describeTally(statusTally(settled.executions))})`],
						['executions finished', executionRate(settled.executions)],
						['signed, answered 200, never run (no execution with its marker)', acknowledgedNeverRun],
						['executions of a forged delivery', markers.filter((marker) => !signedKeys.has(marker)).length],
						['signed deliveries run more than once', [...counts.values()].filter((count) => count > 1).length],
						[
							settled.complete ? 'all executions listed and finished, after the last answer' : 'executions list last changed, after the last answer (never completed)',
							`${(settled.waitedMs / 1000).toFixed(1)} s`,
						],
						[`n8n log lines "${LOCK_TIMEOUT}"`, n8nLogCount(n8n, LOCK_TIMEOUT)],
						['another n8n running meanwhile', contended],
					],
				),
				'',
				table(
					['latency', 'n', 'p50', 'p90', 'p99', 'max', 'mean'],
					[
						['signed (200)', signedLatency.n, ms(signedLatency.p50), ms(signedLatency.p90), ms(signedLatency.p99), ms(signedLatency.max), ms(signedLatency.mean)],
						['forged (400)', forgedLatency.n, ms(forgedLatency.p50), ms(forgedLatency.p90), ms(forgedLatency.p99), ms(forgedLatency.max), ms(forgedLatency.mean)],
					],
				),
			].join('\n'),
		);

		expect(outcomes.filter((outcome) => outcome.error !== undefined)).toEqual([]);
		expect(outcomes.filter(is5xx)).toEqual([]);
		expect(tally(signed)).toEqual({ '200': SIGNED });
		expect(tally(forged)).toEqual({ '400': SIGNED });
		expect(new Set(signed.map((outcome) => outcome.text))).toEqual(new Set([JSON.stringify({ received: true })]));
		expect(settled.executions).toHaveLength(SIGNED);
		expect(statusTally(settled.executions)).toEqual({ success: SIGNED });
		expect(found.every((execution) => execution.markers.length === 1)).toBe(true);
		// Every execution is one signed delivery, none twice, none forged: the sets are equal.
		expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
		expect([...counts.keys()].sort()).toEqual([...signedKeys].sort());
	});

	test("reference: n8n's own Webhook node (Respond: Immediately) under the same load, to tell n8n's limits from the trigger's", async () => {
		const COUNT = 1000;
		const CONCURRENCY = 50;
		const webhookPath = randomUUID();
		const workflowId = await n8n.deploy({
			name: 'reliability reference webhook',
			nodes: [
				{
					id: randomUUID(),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: webhookPath,
					parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
				},
				{ id: randomUUID(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { Webhook: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const url = `${n8n.baseUrl}/webhook/${webhookPath}`;
		// The same bodies as the signed half of the load test (no signature: this node checks none).
		const deliveries = Array.from({ length: COUNT }, (_, i) => {
			const delivery = sitemarkDelivery(`rel-${RUN}-reference-${i}`, 'unsigned');
			return { ...delivery, headers: { 'content-type': 'application/json' } };
		});
		const lockTimeoutsBefore = n8nLogCount(n8n, LOCK_TIMEOUT);
		const othersAtStart = await othersNow();
		const { outcomes, seconds } = await runDeliveries(url, deliveries, { concurrency: CONCURRENCY });
		const settled = await settledExecutions(n8n, workflowId, { atLeast: COUNT });
		const contended = await contention(othersAtStart);
		const found = await markersOf(n8n, settled.executions, 'Webhook', (item) => sitemarkMarker((item.body ?? {}) as Record<string, unknown>));
		const counts = occurrences(found.flatMap((execution) => execution.markers));
		const acknowledged = outcomes.filter(is2xx);
		const acknowledgedNeverRun = acknowledged.filter((outcome) => !counts.has(outcome.key)).length;
		const latency = distribution(outcomes.map((outcome) => outcome.ms));
		referenceRows.push(
			['n8n Webhook node, Respond: Immediately (no verification)', `${COUNT} unsigned, ${CONCURRENCY} in flight`],
			['wall time, throughput', `${seconds.toFixed(2)} s, ${(COUNT / seconds).toFixed(0)} deliveries/s`],
			['answers', describeTally(tally(outcomes))],
			['latency p50 / p90 / p99 / max', `${ms(latency.p50)} / ${ms(latency.p90)} / ${ms(latency.p99)} / ${ms(latency.max)}`],
			['executions recorded', `${settled.executions.length} (${describeTally(statusTally(settled.executions))})`],
			['executions finished', executionRate(settled.executions)],
			['answered 2xx, never run', acknowledgedNeverRun],
			[`n8n log lines "${LOCK_TIMEOUT}"`, n8nLogCount(n8n, LOCK_TIMEOUT) - lockTimeoutsBefore],
			['another n8n running meanwhile', contended],
		);

		// n8n answers "Respond: Immediately" only once the execution is recorded: no 2xx is lost.
		expect(acknowledgedNeverRun).toBe(0);
		expect([...counts.values()].filter((count) => count > 1)).toEqual([]);
	});

	// -------------------------------------------------------------------------------------------

	describe('retries and duplicates (Sitemap.xml, Drop Duplicate Deliveries on)', () => {
		const IDS = 200;
		const ROUNDS = 3;
		const PAUSE_MS = 2000;

		async function spacedRounds(concurrency: number) {
			const workflow = await deploySitemap(`retries ${concurrency}`);
			const ids = Array.from({ length: IDS }, (_, i) => `whk_rel_${RUN}_c${concurrency}_${i}`);
			const othersAtStart = await othersNow();
			const rounds: Outcome[][] = [];
			for (let round = 0; round < ROUNDS; round++) {
				if (round > 0) await sleep(PAUSE_MS);
				const { outcomes } = await runDeliveries(
					workflow.url,
					ids.map((id) => sitemapDelivery(id, `round ${round + 1}`)),
					{ concurrency },
				);
				rounds.push(outcomes);
			}
			const settled = await settledExecutions(n8n, workflow.id, { atLeast: IDS });
			const found = await markersOf(n8n, settled.executions, SITEMAP_TRIGGER, sitemapMarker);
			const counts = occurrences(found.flatMap((execution) => execution.markers));
			return { ids, rounds, settled, counts, contended: await contention(othersAtStart) };
		}

		const rows: Array<Array<string | number>> = [];
		afterAll(() => {
			if (rows.length > 0) {
				report(
					'Retries and duplicates',
					[
						`Sitemap.xml Trigger, Drop Duplicate Deliveries on; the documented sitemap.generated delivery with distinct ids, signed.`,
						'',
						table(['scenario', 'deliveries', 'answers', 'executions', 'ids run more than once', 'another n8n meanwhile'], rows),
					].join('\n'),
				);
			}
		});

		test('each of 200 ids delivered three times, rounds 2 s apart, one delivery at a time → exactly 200 executions', async () => {
			const { ids, rounds, settled, counts, contended } = await spacedRounds(1);
			const all = rounds.flat();
			rows.push([
				`${IDS} ids × ${ROUNDS} rounds, ${PAUSE_MS / 1000} s apart, 1 in flight`,
				all.length,
				describeTally(tally(all)),
				settled.executions.length,
				[...counts.values()].filter((count) => count > 1).length,
				contended,
			]);

			expect(tally(all)).toEqual({ '200': IDS * ROUNDS });
			expect(settled.executions).toHaveLength(IDS);
			expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
			expect([...counts.keys()].sort()).toEqual([...ids].sort());
		});

		test('the same with 10 deliveries in flight within a round (distinct ids at once) → exactly 200 executions', async () => {
			const { ids, rounds, settled, counts, contended } = await spacedRounds(10);
			const all = rounds.flat();
			const repeated = [...counts.values()].filter((count) => count > 1).length;
			rows.push([
				`${IDS} ids × ${ROUNDS} rounds, ${PAUSE_MS / 1000} s apart, 10 in flight`,
				all.length,
				describeTally(tally(all)),
				settled.executions.length,
				repeated,
				contended,
			]);

			expect(tally(all)).toEqual({ '200': IDS * ROUNDS });
			expect([...counts.keys()].sort()).toEqual([...ids].sort());
			// Rounds are 2 s apart: no retry arrives while its first delivery is being handled, so the
			// README's promise (a delivery whose id was accepted starts nothing) covers every retry.
			expect(repeated).toBe(0);
			expect(settled.executions).toHaveLength(IDS);
		});

		test('copies of one delivery arriving at the same moment: 50 ids × 5 simultaneous copies start one execution per id, and a late retry of each starts nothing', async () => {
			const COPIES = 5;
			const GROUPS = 50;
			const workflow = await deploySitemap('simultaneous copies');
			const ids = Array.from({ length: GROUPS }, (_, i) => `whk_rel_${RUN}_same_${i}`);
			const othersAtStart = await othersNow();
			const outcomes: Outcome[] = [];
			for (const id of ids) {
				const delivery = sitemapDelivery(id, 'copy');
				// Five connections, the five copies written at once.
				const answers = await Promise.all(
					Array.from({ length: COPIES }, async () => ({ key: id, kind: 'copy', sentAt: 0, ...(await post(workflow.url, delivery)) })),
				);
				outcomes.push(...answers);
			}
			const settled = await settledExecutions(n8n, workflow.id, { atLeast: GROUPS });
			const found = await markersOf(n8n, settled.executions, SITEMAP_TRIGGER, sitemapMarker);
			const counts = occurrences(found.flatMap((execution) => execution.markers));
			const perId = Object.entries(
				[...counts.values()].reduce<Record<number, number>>((acc, count) => ({ ...acc, [count]: (acc[count] ?? 0) + 1 }), {}),
			)
				.map(([runs, idCount]) => `${idCount} id(s) ran ${runs}×`)
				.join(', ');

			// Later, one more retry of every id, one at a time: each id is remembered by now.
			await sleep(PAUSE_MS);
			const late = await runDeliveries(
				workflow.url,
				ids.map((id) => sitemapDelivery(id, 'late retry')),
				{ concurrency: 1 },
			);
			const afterLate = await settledExecutions(n8n, workflow.id, { atLeast: settled.executions.length });
			const contended = await contention(othersAtStart);
			rows.push([
				`${GROUPS} ids × ${COPIES} copies sent at the same moment`,
				outcomes.length,
				describeTally(tally(outcomes)),
				`${settled.executions.length} (${perId})`,
				[...counts.values()].filter((count) => count > 1).length,
				contended,
			]);
			rows.push([
				`then each of those ${GROUPS} ids once more, ${PAUSE_MS / 1000} s later, 1 in flight`,
				late.outcomes.length,
				describeTally(tally(late.outcomes)),
				`${afterLate.executions.length - settled.executions.length} new`,
				'–',
				contended,
			]);

			expect(tally(outcomes)).toEqual({ '200': GROUPS * COPIES });
			expect([...counts.keys()].sort()).toEqual([...ids].sort());
			// README's promise: one execution per id, however many copies arrive at once.
			expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
			expect(settled.executions).toHaveLength(GROUPS);
			expect(tally(late.outcomes)).toEqual({ '200': GROUPS });
			expect(afterLate.executions).toHaveLength(settled.executions.length);
		});
	});

	// -------------------------------------------------------------------------------------------

	test('fault: n8n stopped and started on the same user folder mid-stream → every 2xx ran exactly once, nothing else was acknowledged', async () => {
		const TOTAL = Number(process.env.RELIABILITY_RESTART_TOTAL ?? 700);
		const CONCURRENCY = 10;
		// n8n's graceful shutdown keeps serving open connections for up to 30 s, and a start takes
		// seconds more: the stream lasts long enough to see deliveries before, during and after.
		const INTERVAL_MS = Number(process.env.RELIABILITY_RESTART_INTERVAL_MS ?? 150);
		const RESTART_AT = Number(process.env.RELIABILITY_RESTART_AT ?? 60);
		const workflow = await deploySitemark('restart');
		const deliveries = Array.from({ length: TOTAL }, (_, i) => sitemarkDelivery(`rel-${RUN}-restart-${i}`, 'signed'));
		const times: Record<string, number> = {};
		let restart: Promise<void> | undefined;
		const othersAtStart = await othersNow();

		const stream = await runDeliveries(workflow.url, deliveries, {
			concurrency: CONCURRENCY,
			intervalMs: INTERVAL_MS,
			timeoutMs: 30_000,
			onSent: (index) => {
				if (index !== RESTART_AT) return;
				restart = (async () => {
					times.stop = performance.now();
					// SIGTERM; the harness's SIGKILL only after 90 s, so n8n's own shutdown decides.
					await n8n.stop(90_000);
					times.stopped = performance.now();
					await n8n.start();
					times.ready = performance.now();
					await n8n.waitUntilLive(workflow.id, 60_000);
					times.live = performance.now();
				})();
			},
		});
		await restart;
		const at = (name: string) => times[name] - stream.startedAt;
		const settled = await settledExecutions(n8n, workflow.id, { quietMs: 5000 });
		const contended = await contention(othersAtStart);
		const found = await markersOf(n8n, settled.executions, SITEMARK_TRIGGER, sitemarkMarker);
		const counts = occurrences(found.flatMap((execution) => execution.markers));
		const outcomes = stream.outcomes;
		// A 200 that n8n gave while starting never reached the trigger: not the trigger's acknowledgement.
		const startingUp = outcomes.filter(isStartingUpAnswer);
		const acknowledged = outcomes.filter((outcome) => is2xx(outcome) && !isStartingUpAnswer(outcome));
		const unacknowledged = outcomes.filter((outcome) => !is2xx(outcome));
		const acknowledgedKeys = new Set(acknowledged.map((outcome) => outcome.key));
		const sentKeys = new Set(outcomes.map((outcome) => outcome.key));
		const ranUnacknowledged = unacknowledged.filter((outcome) => counts.has(outcome.key));

		const phases = [
			['before SIGTERM', -Infinity, at('stop')],
			['SIGTERM → n8n exited (shutting down)', at('stop'), at('stopped')],
			['n8n exited → workflow live again', at('stopped'), at('live')],
			['after live again', at('live'), Infinity],
		] as const;
		const phase = (outcome: Outcome) => phases.find(([, from, to]) => outcome.sentAt >= from && outcome.sentAt < to)![0];
		const exits = n8n
			.logs(4000)
			.split('\n')
			.filter((logLine) => logLine.startsWith('[harness] n8n exited') || logLine.startsWith('[harness] n8n did not stop'));
		// n8n's starting-up 200s are tallied apart from the trigger's.
		const answerOf = (outcome: Outcome): Outcome =>
			isStartingUpAnswer(outcome) ? { ...outcome, status: undefined, error: `200 "${STARTING_UP_TEXT}"` } : outcome;
		const rows = phases.map(([name]) => {
			const inPhase = outcomes.filter((outcome) => phase(outcome) === name);
			return [name, inPhase.length, describeTally(tally(inPhase.map(answerOf))) || '–'];
		});
		report(
			'Faults survived',
			[
				`${TOTAL} signed Sitemark deliveries, one every ${INTERVAL_MS} ms, at most ${CONCURRENCY} in flight; when delivery ${RESTART_AT} left, ` +
					'n8n was sent SIGTERM (its graceful shutdown; the harness would SIGKILL only after 90 s) and started again on the same user folder and SQLite database. ' +
					`The harness saw: ${exits.join('; ') || 'nothing'}.`,
				'',
				table(
					['restart timeline (from the stream start)', 'at'],
					[
						['stop requested', `${(at('stop') / 1000).toFixed(1)} s`],
						['n8n exited', `${(at('stopped') / 1000).toFixed(1)} s`],
						['n8n ready again (/healthz/readiness, logged in)', `${(at('ready') / 1000).toFixed(1)} s`],
						['workflow live again (published)', `${(at('live') / 1000).toFixed(1)} s`],
						['stream ended', `${stream.seconds.toFixed(1)} s`],
					],
				),
				'',
				table(['deliveries sent', 'count', 'answers'], rows),
				'',
				table(
					['outcome', 'value'],
					[
						['answered 2xx by the trigger', acknowledged.length],
						[`answered 200 "${STARTING_UP_TEXT}" by n8n while it was starting (the trigger never saw it)`, startingUp.length],
						['answered non-2xx', unacknowledged.filter((outcome) => outcome.status !== undefined).length],
						['connection error (no answer)', unacknowledged.filter((outcome) => outcome.error !== undefined).length],
						['executions recorded', `${settled.executions.length} (${describeTally(statusTally(settled.executions))})`],
						['2xx deliveries with exactly one execution', acknowledged.filter((outcome) => counts.get(outcome.key) === 1).length],
						[
							'  of which recorded, then cut short by the shutdown (status crashed; n8n lists it, does not run it again)',
							found.filter((execution) => execution.fromStack && acknowledgedKeys.has(execution.markers[0])).length,
						],
						['2xx deliveries without an execution of their own found', acknowledged.filter((outcome) => !counts.has(outcome.key)).length],
						['executions whose delivery could not be read (crashed before the trigger’s output was saved)', found.filter((execution) => execution.markers.length === 0).length],
						['deliveries run more than once', [...counts.values()].filter((count) => count > 1).length],
						['not acknowledged but ran anyway (a retry would run twice)', ranUnacknowledged.length],
						['another n8n running meanwhile', contended],
					],
				),
			].join('\n'),
		);

		// The fault happened: some deliveries were not acknowledged, and n8n took deliveries again afterwards.
		expect(unacknowledged.length).toBeGreaterThan(0);
		expect(outcomes.filter((outcome) => is2xx(outcome) && outcome.sentAt >= at('live')).length).toBeGreaterThan(0);
		// Every other 2xx is the trigger's own acknowledgement (or an answer whose body was cut short).
		expect(acknowledged.filter((outcome) => outcome.text !== undefined && outcome.text !== ACKNOWLEDGEMENT_TEXT)).toEqual([]);
		// n8n answers 200 to whatever arrives while it runs its database migrations at start, before
		// any webhook is routed (see RELIABILITY.md): such a delivery reaches no trigger and runs nothing.
		// That is the only 2xx allowed without an execution, and only after n8n exited.
		expect(startingUp.filter((outcome) => counts.has(outcome.key))).toEqual([]);
		expect(startingUp.filter((outcome) => outcome.sentAt < at('stopped') || outcome.sentAt >= at('live'))).toEqual([]);
		// Every acknowledged delivery has exactly one execution; nothing ran twice; nothing ran that
		// was not sent. An execution that n8n's shutdown cut short is listed as crashed; when even
		// its delivery's item is gone from it, it is counted against the acknowledged deliveries
		// that have no execution of their own.
		const unreadable = found.filter((execution) => execution.markers.length === 0);
		expect(unreadable.filter((execution) => execution.status !== 'crashed')).toEqual([]);
		const withoutOwnExecution = acknowledged.filter((outcome) => !counts.has(outcome.key));
		expect(withoutOwnExecution.length).toBeLessThanOrEqual(unreadable.length);
		expect(settled.executions.length).toBe(counts.size + unreadable.length);
		expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
		expect([...counts.keys()].filter((key) => !sentKeys.has(key))).toEqual([]);
		expect(found.filter((execution) => acknowledgedKeys.has(execution.markers[0])).length + unreadable.length).toBeGreaterThanOrEqual(acknowledged.length);
		// Whatever was not acknowledged got a refusal or no answer at all, which a provider retries.
		for (const outcome of unacknowledged) {
			expect(outcome.error !== undefined || (outcome.status !== undefined && outcome.status >= 300)).toBe(true);
		}
		// Only n8n's shutdown may leave an execution unfinished: it is then listed as crashed.
		expect(found.filter((execution) => execution.status !== 'success' && execution.status !== 'crashed')).toEqual([]);
	});

	// -------------------------------------------------------------------------------------------

	test('payload limits: signed bodies up to 16 MiB verify and run; over it n8n refuses (500) before the trigger runs', async () => {
		const workflow = await deploySitemark('payload');
		const cases = [
			{ label: '15.9 MiB, signed', size: Math.round(15.9 * MiB), forged: false },
			{ label: 'exactly 16 MiB (the limit), signed', size: PAYLOAD_LIMIT, forged: false },
			{ label: '15.9 MiB, forged', size: Math.round(15.9 * MiB), forged: true },
			{ label: '16 MiB + 1 byte, signed', size: PAYLOAD_LIMIT + 1, forged: false },
			{ label: '17 MiB, signed', size: 17 * MiB, forged: false },
		];
		const othersAtStart = await othersNow();
		const results: Array<{ label: string; size: number; forged: boolean; key: string; status?: number; error?: string; ms: number; text?: string }> = [];
		for (const [index, entry] of cases.entries()) {
			const key = `rel-${RUN}-payload-${index}`;
			const delivery = sitemarkDelivery(key, 'payload', { forged: entry.forged, body: sitemarkBodyOfSize(key, entry.size) });
			// n8n refuses a body over its limit from content-length alone: there its answer is awaited
			// for a second before the body is sent, so that it is heard rather than cut off by EPIPE.
			const answerFromHeadersMs = entry.size > PAYLOAD_LIMIT ? 1000 : undefined;
			const result = await post(workflow.url, delivery, { timeoutMs: 120_000, answerFromHeadersMs });
			results.push({ ...entry, key, ...result });
		}
		// Signed malformed JSON as application/json: n8n's body parser answers before the trigger runs.
		const malformedBody = Buffer.from('{"event":"job.completed","data":{"job_id":"malformed"');
		const malformed = await post(workflow.url, {
			body: malformedBody,
			headers: signedHeaders(SITEMARK, malformedBody, SITEMARK_SECRET),
		});
		// And n8n still takes an ordinary delivery afterwards.
		const after = await post(workflow.url, sitemarkDelivery(`rel-${RUN}-payload-after`, 'signed'));

		const settled = await settledExecutions(n8n, workflow.id, { atLeast: 3, quietMs: 5000, timeoutMs: 300_000 });
		const contended = await contention(othersAtStart);
		// Each execution is read whole (the large ones too): the exact payload arrived.
		const accepted = results.filter((result) => result.status === 200);
		const details = await mapConcurrently(settled.executions, 1, async (summary) => {
			const execution = await n8n.execution(summary.id);
			const [item] = nodeOutput(execution, SITEMARK_TRIGGER);
			const data = item.data as { job_id: string; notes?: string };
			return { id: summary.id, status: summary.status, key: data.job_id, notesLength: data.notes?.length ?? 0 };
		});
		const byKey = new Map(details.map((detail) => [detail.key, detail]));

		report(
			'Payload limits',
			[
				"n8n's N8N_PAYLOAD_SIZE_MAX is 16 by default, read as 16 MiB (16,777,216 bytes) by its body reader. " +
					'Bodies are job.completed deliveries padded to the size given, sent with content-length.',
				'',
				table(
					['body', 'bytes', 'answer', 'time to answer', 'execution'],
					[
						...results.map((result) => [
							result.label,
							result.size.toLocaleString('en-US'),
							result.status !== undefined ? `${result.status} ${(result.text ?? '').slice(0, 80)}` : `no answer (${result.error})`,
							ms(result.ms),
							byKey.has(result.key) ? `1 (${byKey.get(result.key)!.status}, item of ${byKey.get(result.key)!.notesLength.toLocaleString('en-US')} padding chars)` : 'none',
						]),
						[
							'malformed JSON, signed, application/json',
							malformedBody.length,
							`${malformed.status ?? malformed.error} ${(malformed.text ?? '').slice(0, 80)}`,
							ms(malformed.ms),
							byKey.has('malformed') ? '1' : 'none',
						],
						['an ordinary signed delivery afterwards', '–', `${after.status ?? after.error}`, ms(after.ms), byKey.has(`rel-${RUN}-payload-after`) ? '1' : 'none'],
					],
				),
				'',
				`Executions of this workflow: ${settled.executions.length} (${describeTally(statusTally(settled.executions))}); ` +
					`all listed ${(settled.waitedMs / 1000).toFixed(1)} s after the last answer. Another n8n running meanwhile: ${contended}.`,
			].join('\n'),
		);

		const [big, atLimit, bigForged, overByOne, over] = results;
		expect(big.status).toBe(200);
		expect(big.text).toBe(JSON.stringify({ received: true }));
		expect(byKey.get(big.key)).toMatchObject({ status: 'success', notesLength: big.size - emptyBodySize(big.key) });
		expect(atLimit.status).toBe(200);
		expect(byKey.get(atLimit.key)?.status).toBe('success');
		expect(bigForged.status).toBe(400);
		expect(byKey.has(bigForged.key)).toBe(false);
		// n8n's body reader throws raw-body's 413 (PayloadTooLargeError), but the webhook handler
		// wraps every error that is not one of its own HTTP errors: the answer is a 500.
		for (const refused of [overByOne, over]) {
			expect(refused.status).toBe(500);
			expect(JSON.parse(refused.text ?? '{}')).toMatchObject({ message: 'There was a problem executing the workflow' });
			expect(byKey.has(refused.key)).toBe(false);
		}
		expect(malformed.status).toBe(422);
		expect(after.status).toBe(200);
		expect(settled.executions).toHaveLength(3);
		expect(accepted.map((result) => result.key).sort()).toEqual([big.key, atLimit.key].sort());
	});
});
