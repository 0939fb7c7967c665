/**
 * End-to-end throughput of this package's triggers on one real n8n (line 2 unless N8N_LINE=1),
 * against what n8n itself offers for the same job, with the same request bytes:
 *
 *   A  each of the five triggers (Trigger → No Op), correctly signed documented samples
 *   B  n8n's Webhook node, POST, no authentication, "Respond: Immediately" (Webhook → No Op):
 *      no verification at all, the floor n8n sets
 *   B-auth  the same with Header Auth (n8n's own "verified" option: a fixed header value, read
 *      from an httpHeaderAuth credential on every request)
 *   C  the hand-built recipe that really verifies: Webhook (Respond: Using 'Respond to Webhook'
 *      node, Raw Body on) → Crypto (HMAC, SHA256, hex, over the binary "data" = the raw bytes)
 *      → If (hmac equals the signature header) → Respond to Webhook 200 / Respond to Webhook 401
 *   and forged deliveries (a well-formed signature made with another secret) to A (Sitemark) and C.
 *
 * Load comes from autocannon in this process over 127.0.0.1: a fixed number of keep-alive
 * connections, each sending its next request when the previous one is answered. Every target is
 * warmed up, then measured in rounds (each round runs every target once, in a rotated order, so
 * drift hits all of them); after each window the benchmark waits until n8n is idle again, so
 * work a window left behind (executions still running after their early answer) is charged to
 * that window and not to the next target. Ratios are taken within each round, then the median.
 *
 * Runs once per expression engine (BENCH_ENGINES): n8n is started anew for each. Before the load,
 * every target gets BENCH_COUNT_DELIVERIES deliveries one after the other, and a preload in the
 * n8n process (test/bench/isolate-counter.cjs) counts the expression isolates n8n hands out for
 * them, and which n8n function asked for each; the same counters are read around every measured
 * window too.
 *
 * Prints, per engine, one Markdown table (and the ratios under it, and the isolate accounting) on
 * stdout, then one table over the engines; progress goes to stderr.
 *
 *   npm run build && tsc -p test/bench/tsconfig.json && N8N_E2E_SKIP_BUILD=1 node .dev-build/test/bench/n8n-throughput.bench.js
 *
 * Environment (defaults in brackets):
 *   BENCH_CONNECTIONS [10]   concurrent connections
 *   BENCH_SECONDS [5]        length of one measured window
 *   BENCH_WARMUP_SECONDS [8] warm-up window per target (with 2 s, n8n's CPU per delivery was still
 *                            falling through the first round: 28 ms for the first target, 9 ms later)
 *   BENCH_LEAD_IN_SECONDS [1] untimed deliveries to a target right before each of its measured
 *                            windows, so that what the target before it left behind (its isolates
 *                            being disposed of, its garbage) is not counted against it
 *   BENCH_ROUNDS [3]         rounds (with the four engines, `npm run bench` takes about 20 minutes)
 *   BENCH_SAVE_SUCCESS [none] EXECUTIONS_DATA_SAVE_ON_SUCCESS for n8n: none, or all (the harness default)
 *   BENCH_XML [0]            1: also measure Sitemap.xml with its XML sample
 *   BENCH_ENGINES [vm,patched,lazy,legacy]  the engines, in order:
 *                            vm       n8n's default (isolated-vm, an isolate taken at acquisition)
 *                            patched  vm, with the n8n change of docs/n8n-static-trigger-proposal.md
 *                                     applied in memory by the preload (no installed file changes)
 *                            lazy     N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (isolate at first use)
 *                            patched-lazy  lazy, with the same change
 *                            legacy   N8N_EXPRESSION_ENGINE=legacy (no isolates)
 *   BENCH_COUNT_DELIVERIES [20]  sequential deliveries per target for the isolate accounting
 *   BENCH_COUNT_ONLY=1       the checks and the isolate accounting only, no load
 *   BENCH_TRIGGER_TYPE_VERSION  typeVersion of the package's triggers in the workflows (default: the
 *                            harness's TRIGGER_TYPE_VERSION, 1.1, what the editor adds); the package
 *                            must offer that version
 *   BENCH_N8N_ENV            extra n8n settings for every engine, `NAME=value,NAME=value`
 *   BENCH_NO_WAIT=1          do not wait for other n8n processes (`pgrep -f n8n/bin/n8n`) to finish
 * and the harness's N8N_LINE, N8N_E2E_SKIP_BUILD, N8N_E2E_TARBALL, N8N_E2E_LOG_LEVEL.
 */
import './repoRoot';

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import autocannon from 'autocannon';

import { lineFromEnv, N8n, REPO_ROOT, type WorkflowDefinition } from '../../scripts/n8n/n8n';
import { TRIGGER_TYPE_VERSION as HARNESS_TRIGGER_TYPE_VERSION, triggerWorkflow } from '../../scripts/n8n/workflows';
import { credentialData, firstSample, signedHeaders } from '../support/deliveries';
import { PROVIDERS, provider as declaredProvider } from '../support/providers';

const CONNECTIONS = positiveNumber('BENCH_CONNECTIONS', 10);
const SECONDS = positiveNumber('BENCH_SECONDS', 5);
const WARMUP_SECONDS = positiveNumber('BENCH_WARMUP_SECONDS', 8);
const LEAD_IN_SECONDS = Number(process.env.BENCH_LEAD_IN_SECONDS ?? 1);
const ROUNDS = positiveNumber('BENCH_ROUNDS', 3);
const SAVE_SUCCESS = process.env.BENCH_SAVE_SUCCESS ?? 'none';
const WITH_XML = process.env.BENCH_XML === '1';
const COUNT_DELIVERIES = positiveNumber('BENCH_COUNT_DELIVERIES', 20);
const COUNT_ONLY = process.env.BENCH_COUNT_ONLY === '1';
/** The typeVersion of the package's triggers in the measured workflows (unset: the harness's own, 1.1). */
const TRIGGER_TYPE_VERSION = process.env.BENCH_TRIGGER_TYPE_VERSION ? positiveNumber('BENCH_TRIGGER_TYPE_VERSION', 1) : undefined;
const EXTRA_N8N_ENV: Record<string, string> = Object.fromEntries(
	(process.env.BENCH_N8N_ENV ?? '')
		.split(',')
		.filter((pair) => pair.includes('='))
		.map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()]),
);

if (SAVE_SUCCESS !== 'none' && SAVE_SUCCESS !== 'all') throw new Error('BENCH_SAVE_SUCCESS must be none or all');

/** The preload that counts isolates in the n8n process (plain CommonJS, not compiled). */
const ISOLATE_COUNTER = path.join(REPO_ROOT, 'test', 'bench', 'isolate-counter.cjs');

interface Engine {
	name: string;
	description: string;
	env: Record<string, string>;
}

const ENGINES: Record<string, Engine> = {
	vm: { name: 'vm', description: "n8n's default expression engine (isolated-vm)", env: {} },
	patched: {
		name: 'patched',
		description: 'default engine, with the static-trigger change to n8n (docs/n8n-static-trigger-proposal.md), in memory',
		env: { BENCH_N8N_PATCH: 'static-trigger' },
	},
	lazy: {
		name: 'lazy',
		description: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (an isolate only when an expression is evaluated)',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	},
	'patched-lazy': {
		name: 'patched-lazy',
		description: 'lazy engine, with the static-trigger change to n8n, in memory',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', BENCH_N8N_PATCH: 'static-trigger' },
	},
	legacy: { name: 'legacy', description: 'N8N_EXPRESSION_ENGINE=legacy (no isolates)', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
};

const SELECTED_ENGINES: Engine[] = (process.env.BENCH_ENGINES ?? 'vm,patched,lazy,legacy')
	.split(',')
	.map((name) => name.trim())
	.filter((name) => name !== '')
	.map((name) => {
		const engine = ENGINES[name];
		if (!engine) throw new Error(`BENCH_ENGINES: unknown engine "${name}" (known: ${Object.keys(ENGINES).join(', ')})`);
		return engine;
	});

function positiveNumber(name: string, fallback: number): number {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
	return value;
}

function progress(text: string): void {
	process.stderr.write(`[bench] ${text}\n`);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// What is sent

interface Provider {
	key: string;
	label: string;
	node: string;
	credentialType: string;
	credentialData: Record<string, string>;
	parameters: Record<string, unknown>;
	body: Buffer;
	headers: Record<string, string>;
}

const secretOf = (key: string): string => `bench-${key}-secret`;
const SITEMARK_SECRET = secretOf('sitemark');
const FORGING_SECRET = 'not-the-secret';

/**
 * Each provider of the one provider list with its first documented sample, signed as the provider
 * signs (the one signer); a provider with XML samples also as XML when BENCH_XML=1. The credential
 * holds what the sample carries of it (SiteCapture's API key).
 */
function providers(): Provider[] {
	const list: Provider[] = [];
	for (const declared of PROVIDERS) {
		const secret = secretOf(declared.key);
		const sample = firstSample(declared);
		const body = fs.readFileSync(sample.file);
		const hasXml = declared.samples.some((candidate) => candidate.format === 'xml');
		const entry: Provider = {
			key: declared.key,
			label: hasXml ? `${declared.facts.name} (JSON)` : declared.facts.name,
			node: declared.nodeName,
			credentialType: declared.credentialType,
			credentialData: credentialData(declared, secret, 'bench'),
			// The same sample over and over would be dropped as a retry after the first: every
			// delivery must start the workflow, as a stream of distinct deliveries would.
			parameters: { events: [sample.event], dropDuplicates: false, options: {} },
			body,
			headers: signedHeaders(declared, body, secret),
		};
		list.push(entry);
		if (WITH_XML && hasXml) {
			// The same trigger and credential as the JSON entry; only the body and its content type differ.
			const xml = fs.readFileSync(firstSample(declared, 'xml').file);
			list.push({ ...entry, key: `${declared.key}-xml`, label: `${declared.facts.name} (XML)`, body: xml, headers: signedHeaders(declared, xml, secret) });
		}
	}
	// Sitemark first: the hand-built recipes and the forged deliveries are measured against it.
	const sitemarkFirst = list.findIndex((entry) => entry.key === 'sitemark');
	return [...list.splice(sitemarkFirst, 1), ...list];
}

// ---------------------------------------------------------------------------------------------
// Workflows built with n8n's own nodes

function node(
	name: string,
	type: string,
	typeVersion: number,
	position: [number, number],
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowDefinition['nodes'][number]> = {},
): WorkflowDefinition['nodes'][number] {
	return { id: randomUUID(), name, type, typeVersion, position, parameters, ...extra };
}

/** n8n's Webhook node (2.1) taking POSTs at `webhookPath`, set up with `parameters`. */
function webhookNode(webhookPath: string, parameters: Record<string, unknown>): WorkflowDefinition['nodes'][number] {
	return node('Webhook', 'n8n-nodes-base.webhook', 2.1, [0, 0], { httpMethod: 'POST', path: webhookPath, ...parameters }, { webhookId: webhookPath });
}

/** B: Webhook (POST, no authentication, Respond: Immediately) → No Op. Checks nothing. */
function plainWebhookWorkflow(webhookPath: string): WorkflowDefinition {
	return {
		name: 'bench B: Webhook node, no verification',
		nodes: [
			webhookNode(webhookPath, { authentication: 'none', responseMode: 'onReceived', options: {} }),
			node('No Op', 'n8n-nodes-base.noOp', 1, [220, 0], {}),
		],
		connections: { Webhook: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The header B-auth's credential expects, and its value. */
const HEADER_AUTH_NAME = 'x-webhook-token';
const HEADER_AUTH_VALUE = 'bench-header-auth-token-3e17';

/** B-auth: B with Header Auth (a fixed header value from an httpHeaderAuth credential). */
function headerAuthWebhookWorkflow(webhookPath: string, credential: { id: string; name: string }): WorkflowDefinition {
	const workflow = plainWebhookWorkflow(webhookPath);
	workflow.name = 'bench B-auth: Webhook node, Header Auth';
	workflow.nodes[0].parameters = { ...workflow.nodes[0].parameters, authentication: 'headerAuth' };
	workflow.nodes[0].credentials = { httpHeaderAuth: credential };
	return workflow;
}

/**
 * C: the recipe that verifies Sitemark's signature with n8n's own nodes, over the raw bytes.
 * Webhook (Raw Body on: the exact bytes as binary property "data") → Crypto (Hmac, SHA256, hex,
 * Binary File on, key from a Crypto credential) into `hmac` → If ($json.hmac equals the
 * x-sitemark-signature header, case-sensitive, strict types) → true: Respond to Webhook 200
 * {"received": true}; false: Respond to Webhook 401 {"error": "Webhook delivery rejected"}.
 */
function recipeWorkflow(webhookPath: string, cryptoCredential: { id: string; name: string }): WorkflowDefinition {
	return {
		name: 'bench C: Webhook + Crypto + If + Respond to Webhook',
		nodes: [
			webhookNode(webhookPath, { authentication: 'none', responseMode: 'responseNode', options: { rawBody: true } }),
			node(
				'HMAC of raw body',
				'n8n-nodes-base.crypto',
				2,
				[220, 0],
				{
					action: 'hmac',
					binaryData: true,
					binaryPropertyName: 'data',
					type: 'SHA256',
					encoding: 'hex',
					dataPropertyName: 'hmac',
				},
				{ credentials: { crypto: cryptoCredential } },
			),
			node('Signature matches?', 'n8n-nodes-base.if', 2.3, [440, 0], {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 3 },
					conditions: [
						{
							id: randomUUID(),
							leftValue: '={{ $json.hmac }}',
							rightValue: "={{ $json.headers['x-sitemark-signature'] }}",
							operator: { type: 'string', operation: 'equals' },
						},
					],
					combinator: 'and',
				},
				looseTypeValidation: false,
				options: {},
			}),
			node('Respond 200', 'n8n-nodes-base.respondToWebhook', 1.5, [660, -100], {
				respondWith: 'json',
				responseBody: '{\n  "received": true\n}',
				options: {},
			}),
			node('Respond 401', 'n8n-nodes-base.respondToWebhook', 1.5, [660, 100], {
				respondWith: 'json',
				responseBody: '{\n  "error": "Webhook delivery rejected"\n}',
				options: { responseCode: 401 },
			}),
		],
		connections: {
			Webhook: { main: [[{ node: 'HMAC of raw body', type: 'main', index: 0 }]] },
			'HMAC of raw body': { main: [[{ node: 'Signature matches?', type: 'main', index: 0 }]] },
			'Signature matches?': {
				main: [
					[{ node: 'Respond 200', type: 'main', index: 0 }],
					[{ node: 'Respond 401', type: 'main', index: 0 }],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------------------------
// n8n's CPU time, read from /proc (every process started with this user folder)

const CLOCK_TICKS = 100;

function n8nPids(userFolder: string): number[] {
	const marker = `N8N_USER_FOLDER=${userFolder}\0`;
	const pids: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.push(Number(entry));
		} catch {
			// gone, or not ours
		}
	}
	return pids;
}

/** CPU seconds (user + system) used so far by these processes. */
function cpuSeconds(pids: number[]): number {
	let ticks = 0;
	for (const pid of pids) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// exited
		}
	}
	return ticks / CLOCK_TICKS;
}

/** Waits until n8n uses under 5% of a core over 400 ms (at most 60 s); returns the seconds waited. */
async function waitUntilIdle(pids: number[]): Promise<number> {
	const started = Date.now();
	for (;;) {
		const before = cpuSeconds(pids);
		const from = Date.now();
		await sleep(400);
		const used = cpuSeconds(pids) - before;
		if (used / ((Date.now() - from) / 1000) < 0.05) return (Date.now() - started) / 1000;
		if (Date.now() - started > 60_000) {
			progress('n8n did not become idle within 60 s; going on');
			return (Date.now() - started) / 1000;
		}
	}
}

/** CPU seconds the whole machine has been busy (all cores), from /proc/stat. */
function machineBusySeconds(): number {
	const [cpu] = fs.readFileSync('/proc/stat', 'latin1').split('\n');
	const [user, nice, system, , , irq, softirq, steal] = cpu.trim().split(/\s+/).slice(1).map(Number);
	return (user + nice + system + irq + softirq + (steal || 0)) / CLOCK_TICKS;
}

function ownCpuSeconds(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1e6;
}

/** Processes of another n8n (another engineer's test suite), by `pgrep -f n8n/bin/n8n`. */
async function otherN8n(ownPids: number[]): Promise<number[]> {
	const found = await new Promise<number[]>((resolve) => {
		execFile('pgrep', ['-f', 'n8n/bin/n8n'], (error, stdout) => {
			resolve(error ? [] : stdout.split('\n').filter((line) => line.trim() !== '').map(Number));
		});
	});
	return found.filter((pid) => !ownPids.includes(pid));
}

/**
 * Waits (polling every 20 s) until no other n8n runs and the rest of the machine (everything but
 * this process and our n8n) uses under a tenth of a core: other test suites distort the figures.
 */
async function waitForQuietMachine(ownPids: number[]): Promise<void> {
	for (;;) {
		const others = await otherN8n(ownPids);
		const busy = machineBusySeconds();
		const own = ownCpuSeconds() + cpuSeconds(ownPids);
		await sleep(2000);
		const foreign = (machineBusySeconds() - busy - (ownCpuSeconds() + cpuSeconds(ownPids) - own)) / 2;
		if (others.length === 0 && foreign < 0.1) return;
		progress(
			`machine busy (${others.length ? `another n8n: pids ${others.join(', ')}; ` : ''}other processes use ${foreign.toFixed(2)} cores); waiting 20 s`,
		);
		await sleep(20_000);
	}
}

// ---------------------------------------------------------------------------------------------
// Load

interface Target {
	label: string;
	group: 'A' | 'B' | 'B-auth' | 'C' | 'A forged' | 'C forged';
	url: string;
	body: Buffer;
	headers: Record<string, string>;
	expectedStatus: number;
}

interface Window {
	/** Answers with the expected status per second. */
	rate: number;
	p50: number;
	p90: number;
	p99: number;
	/** n8n CPU milliseconds per delivery, the tail after the window included. */
	cpuMs: number;
	/** Seconds n8n kept working after the window. */
	drain: number;
	/** Cores used by other processes (not n8n, not this one) during the window. */
	foreign: number;
	/** Another n8n ran at the end of the window. */
	otherN8n: boolean;
	unexpected: string;
	/** What the isolate counter saw during the window and its tail. */
	counted?: Counts;
}

// ---------------------------------------------------------------------------------------------
// Isolate accounting (test/bench/isolate-counter.cjs in the n8n process)

interface Counts {
	isolatesCreated: number;
	bridgesTaken: number;
	scopesOpened: number;
	evaluations: number;
	credentialReads: number;
	webhookRequests: number;
	nativeReads: number;
	sites: Record<string, number>;
}

const COUNTERS = [
	'isolatesCreated',
	'bridgesTaken',
	'scopesOpened',
	'evaluations',
	'credentialReads',
	'webhookRequests',
	'nativeReads',
] as const;

/** The folder the preload of the current engine's n8n writes to. */
let countsDir: string | undefined;

/** The counts of every n8n process so far (each writes `<pid>.json`). */
function readCounts(): Counts | undefined {
	if (countsDir === undefined) return undefined;
	const total = { ...Object.fromEntries(COUNTERS.map((key) => [key, 0])), sites: {} } as Counts;
	for (const file of fs.existsSync(countsDir) ? fs.readdirSync(countsDir) : []) {
		if (!file.endsWith('.json')) continue;
		const counts = JSON.parse(fs.readFileSync(path.join(countsDir, file), 'utf8')) as Partial<Counts>;
		for (const key of COUNTERS) total[key] += counts[key] ?? 0;
		for (const [site, n] of Object.entries(counts.sites ?? {})) total.sites[site] = (total.sites[site] ?? 0) + n;
	}
	return total;
}

function countsSince(before: Counts | undefined): Counts | undefined {
	const after = readCounts();
	if (before === undefined || after === undefined) return undefined;
	const delta = { ...after, sites: {} as Record<string, number> };
	for (const key of COUNTERS) delta[key] = after[key] - before[key];
	for (const [site, n] of Object.entries(after.sites)) {
		const d = n - (before.sites[site] ?? 0);
		if (d !== 0) delta.sites[site] = d;
	}
	return delta;
}

/** The preload rewrites its file at most every 100 ms: waits for the figures to settle. */
async function settledCounts(): Promise<void> {
	await sleep(300);
}

function percentile(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

async function measure(target: Target, seconds: number, pids: number[]): Promise<Window> {
	const latencies: number[] = [];
	const statuses = new Map<number, number>();
	const countsBefore = readCounts();
	const cpuBefore = cpuSeconds(pids);
	const busyBefore = machineBusySeconds();
	const ownBefore = ownCpuSeconds();
	const instance = autocannon({
		url: target.url,
		method: 'POST',
		headers: target.headers,
		body: target.body,
		connections: CONNECTIONS,
		pipelining: 1,
		duration: seconds,
		timeout: 30,
	});
	instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
		statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
		latencies.push(responseTimeMs);
	});
	const result = await instance;
	const busyWindow = machineBusySeconds() - busyBefore;
	const n8nWindow = cpuSeconds(pids) - cpuBefore;
	const ownWindow = ownCpuSeconds() - ownBefore;
	const foreign = Math.max(0, busyWindow - n8nWindow - ownWindow) / result.duration;
	const drain = await waitUntilIdle(pids);
	const cpu = cpuSeconds(pids) - cpuBefore;
	await settledCounts();
	const counted = countsSince(countsBefore);
	const others = (await otherN8n(pids)).length > 0;
	const expected = statuses.get(target.expectedStatus) ?? 0;
	const otherStatuses = [...statuses].filter(([status]) => status !== target.expectedStatus);
	const unexpected = [
		...otherStatuses.map(([status, count]) => `${count}× ${status}`),
		...(result.errors ? [`${result.errors} errors`] : []),
		...(result.timeouts ? [`${result.timeouts} timeouts`] : []),
	].join(', ');
	const sorted = Float64Array.from(latencies).sort();
	return {
		rate: expected / result.duration,
		p50: percentile(sorted, 50),
		p90: percentile(sorted, 90),
		p99: percentile(sorted, 99),
		cpuMs: expected > 0 ? (cpu * 1000) / expected : NaN,
		drain,
		foreign,
		otherN8n: others,
		unexpected,
		counted,
	};
}

// ---------------------------------------------------------------------------------------------
// Checks before measuring

async function send(n8n: N8n, url: string, body: Buffer, headers: Record<string, string>) {
	return await n8n.request('POST', url, { rawBody: body, headers });
}

function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(`check failed: ${message}`);
}

async function successfulExecutions(n8n: N8n, workflowId: string, count: number): Promise<void> {
	const executions = await n8n.waitForExecutions(workflowId, count);
	assert(
		executions.length === count && executions.every((execution) => execution.status === 'success'),
		`expected ${count} successful execution(s) of ${workflowId}, found ${JSON.stringify(executions.map((e) => e.status))}`,
	);
}

// ---------------------------------------------------------------------------------------------
// Reporting

const median = (values: number[]): number => {
	const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const fmtRate = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');
const fmtMs = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');

/** Above this many cores used by other processes during a window, the window is measured again. */
const FOREIGN_LIMIT = 0.15;
const MAX_RETRIES = 4;

/** One window, measured again (after waiting for a quiet machine) when something else ran meanwhile. */
async function measureUndisturbed(target: Target, seconds: number, pids: number[]): Promise<Window & { retries: number }> {
	for (let retries = 0; ; retries++) {
		const window = await measure(target, seconds, pids);
		const disturbed = window.otherN8n || window.foreign > FOREIGN_LIMIT;
		if (!disturbed || retries >= MAX_RETRIES) return { ...window, retries };
		progress(
			`  ${target.label}: disturbed (${window.otherN8n ? 'another n8n started; ' : ''}other processes used ${window.foreign.toFixed(2)} cores); measuring again`,
		);
		await waitForQuietMachine(pids);
	}
}

/** What one engine's run hands to the table over all engines. */
interface EngineResult {
	engine: Engine;
	/** Per target label: isolates handed out per delivery in the accounting phase, and more. */
	accounting: Map<string, Counts & { deliveries: number }>;
	/** Per group (the first target of the group): median deliveries/s and n8n CPU ms per delivery. */
	rate: Map<string, number>;
	cpuMs: Map<string, number>;
	/** Per round ratios, medians. */
	ratios: Map<string, number>;
	text: string;
}

const perDelivery = (value: number, deliveries: number) => (deliveries > 0 ? value / deliveries : NaN);
const fmtCount = (value: number) => (Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : '–');

/**
 * The isolate accounting: COUNT_DELIVERIES deliveries to each target, one after the other, n8n
 * idle before and after; what n8n did for them, per delivery.
 */
async function accountIsolates(n8n: N8n, targets: Target[], pids: number[]): Promise<Map<string, Counts & { deliveries: number }>> {
	const result = new Map<string, Counts & { deliveries: number }>();
	for (const target of targets) {
		await waitUntilIdle(pids);
		await settledCounts();
		const before = readCounts();
		for (let i = 0; i < COUNT_DELIVERIES; i++) {
			const response = await send(n8n, target.url, target.body, target.headers);
			assert(response.status === target.expectedStatus, `${target.label}: answered ${response.status} in the accounting phase`);
		}
		await waitUntilIdle(pids);
		await settledCounts();
		const counted = countsSince(before);
		if (counted) result.set(target.label, { ...counted, deliveries: COUNT_DELIVERIES });
		progress(
			`isolates: ${target.group.padEnd(8)} ${target.label.padEnd(42)} ` +
				(counted
					? `${fmtCount(counted.bridgesTaken / COUNT_DELIVERIES)} taken, ${fmtCount(counted.isolatesCreated / COUNT_DELIVERIES)} created, ` +
						`${fmtCount(counted.evaluations / COUNT_DELIVERIES)} evaluations, ${fmtCount(counted.credentialReads / COUNT_DELIVERIES)} credential reads per delivery`
					: 'no counts'),
		);
	}
	return result;
}

/** The accounting as a table, and which n8n code took the isolates (and evaluated what). */
function accountingTables(targets: Target[], accounting: Map<string, Counts & { deliveries: number }>): string[] {
	const out = [
		'',
		`Isolate accounting: ${COUNT_DELIVERIES} deliveries per target, one after the other, counted in the n8n process ` +
			'(test/bench/isolate-counter.cjs); per delivery. "Taken": isolates handed to a caller (eager engine: at ' +
			'acquisition; lazy engine: at the first evaluation of a scope). "Created": isolates built (the pool builds one ' +
			'ahead for each taken). Credential reads are n8n credential decryptions (each takes an isolate on the eager engine).',
		'',
		'| | target | isolates taken | isolates created | lazy scopes opened | expressions evaluated | credential reads |',
		'| --- | --- | --- | --- | --- | --- | --- |',
	];
	for (const target of targets) {
		const c = accounting.get(target.label);
		if (!c) continue;
		const d = c.webhookRequests || c.deliveries;
		out.push(
			`| ${target.group} | ${target.label} | ${fmtCount(perDelivery(c.bridgesTaken, d))} | ${fmtCount(perDelivery(c.isolatesCreated, d))} | ` +
				`${fmtCount(perDelivery(c.scopesOpened, d))} | ${fmtCount(perDelivery(c.evaluations, d))} | ${fmtCount(perDelivery(c.credentialReads, d))} |`,
		);
	}
	out.push('', '| target | per delivery | what | asked by (n8n function and file) |', '| --- | --- | --- | --- |');
	for (const target of targets) {
		const c = accounting.get(target.label);
		if (!c) continue;
		const d = c.webhookRequests || c.deliveries;
		const sites = Object.entries(c.sites).sort(([a], [b]) => a.localeCompare(b));
		if (sites.length === 0) out.push(`| ${target.group} ${target.label} | 0 | nothing | |`);
		for (const [key, n] of sites) {
			const [kind, where] = key.split(' <- ');
			out.push(`| ${target.group} ${target.label} | ${fmtCount(n / d)} | ${kind} | ${where.replace(/\|/g, '\\|')} |`);
		}
	}
	return out;
}

async function runEngine(engine: Engine): Promise<EngineResult> {
	const noWait = process.env.BENCH_NO_WAIT === '1';
	if (!noWait) await waitForQuietMachine([]);

	const line = lineFromEnv();
	countsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-isolates-'));
	progress(`[${engine.name}] preparing n8n line ${line} (build and pack unless N8N_E2E_SKIP_BUILD=1)...`);
	const n8n = await N8n.create({
		line,
		env: {
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: SAVE_SUCCESS,
			...EXTRA_N8N_ENV,
			...engine.env,
			NODE_OPTIONS: `--require ${ISOLATE_COUNTER}`,
			BENCH_ISOLATE_COUNTS_DIR: countsDir,
		},
	});
	const exit = async () => {
		await n8n.dispose();
		process.exit(130);
	};
	process.on('SIGINT', () => void exit());
	process.on('SIGTERM', () => void exit());
	try {
		await n8n.start();
		progress(`n8n ${n8n.installation.n8nVersion} on Node ${n8n.installation.nodeVersion} at ${n8n.baseUrl}`);

		// -- A: one workflow per trigger, and a twin of each that keeps its executions (checks only)
		const list = providers();
		const credentialIds = new Map<string, { id: string; name: string }>();
		const targets: Target[] = [];
		const checks: Array<{ label: string; url: string; provider: Provider; workflowId: string }> = [];
		for (const provider of list) {
			const credentialKey = `${provider.credentialType}:${JSON.stringify(provider.credentialData)}`;
			let credential = credentialIds.get(credentialKey);
			if (!credential) {
				credential = await n8n.createCredential({
					name: `bench ${provider.label}`,
					type: provider.credentialType,
					data: provider.credentialData,
				});
				credentialIds.set(credentialKey, credential);
			}
			for (const twin of [false, true]) {
				const built = triggerWorkflow({
					name: `bench A: ${provider.label}${twin ? ' (check twin, keeps executions)' : ''}`,
					node: provider.node,
					triggerName: `${provider.label} Trigger`,
					credentialType: provider.credentialType,
					credential,
					parameters: provider.parameters,
				});
				if (twin) built.workflow.settings = { executionOrder: 'v1', saveDataSuccessExecution: 'all' };
				if (TRIGGER_TYPE_VERSION !== undefined) built.workflow.nodes[0].typeVersion = TRIGGER_TYPE_VERSION;
				const id = await n8n.deploy(built.workflow);
				const url = n8n.productionUrl(built.webhookId);
				if (twin) checks.push({ label: provider.label, url, provider, workflowId: id });
				else targets.push({ label: provider.label, group: 'A', url, body: provider.body, headers: provider.headers, expectedStatus: 200 });
			}
		}
		const sitemark = list[0];
		const forgedHeaders = signedHeaders(declaredProvider('sitemark'), sitemark.body, FORGING_SECRET);

		// -- B, B-auth and C, with Sitemark's request bytes
		const bPath = randomUUID();
		await n8n.deploy(plainWebhookWorkflow(bPath));
		const headerAuthCredential = await n8n.createCredential({
			name: 'bench Header Auth',
			type: 'httpHeaderAuth',
			data: { name: HEADER_AUTH_NAME, value: HEADER_AUTH_VALUE },
		});
		const bAuthPath = randomUUID();
		await n8n.deploy(headerAuthWebhookWorkflow(bAuthPath, headerAuthCredential));
		const cryptoCredential = await n8n.createCredential({
			name: 'bench Crypto (HMAC secret)',
			type: 'crypto',
			data: { hmacSecret: SITEMARK_SECRET },
		});
		const cPath = randomUUID();
		const cWorkflowId = await n8n.deploy(recipeWorkflow(cPath, cryptoCredential));
		const bUrl = `${n8n.baseUrl}/webhook/${bPath}`;
		const bAuthUrl = `${n8n.baseUrl}/webhook/${bAuthPath}`;
		const cUrl = `${n8n.baseUrl}/webhook/${cPath}`;
		const bAuthHeaders = { ...sitemark.headers, [HEADER_AUTH_NAME]: HEADER_AUTH_VALUE };
		targets.push(
			{ label: 'n8n Webhook node, no verification', group: 'B', url: bUrl, body: sitemark.body, headers: sitemark.headers, expectedStatus: 200 },
			{ label: 'n8n Webhook node, Header Auth', group: 'B-auth', url: bAuthUrl, body: sitemark.body, headers: bAuthHeaders, expectedStatus: 200 },
			{ label: 'Webhook → Crypto → If → Respond', group: 'C', url: cUrl, body: sitemark.body, headers: sitemark.headers, expectedStatus: 200 },
			{ label: 'Sitemark, forged', group: 'A forged', url: targets[0].url, body: sitemark.body, headers: forgedHeaders, expectedStatus: 400 },
			{ label: 'Webhook → Crypto → If → Respond, forged', group: 'C forged', url: cUrl, body: sitemark.body, headers: forgedHeaders, expectedStatus: 401 },
		);

		// -- Checks: every target answers as expected, accepted deliveries really start the workflow
		progress('checking every target before measuring...');
		for (const check of checks) {
			// Twice: the second delivery of the same bytes must start the workflow too.
			for (let i = 0; i < 2; i++) {
				const response = await send(n8n, check.url, check.provider.body, check.provider.headers);
				assert(response.status === 200, `${check.label}: signed sample answered ${response.status} ${response.text}`);
			}
			await successfulExecutions(n8n, check.workflowId, 2);
		}
		for (const target of targets) {
			const response = await send(n8n, target.url, target.body, target.headers);
			assert(response.status === target.expectedStatus, `${target.label}: answered ${response.status}, expected ${target.expectedStatus}: ${response.text}`);
		}
		const wrongToken = await send(n8n, bAuthUrl, sitemark.body, { ...bAuthHeaders, [HEADER_AUTH_NAME]: 'not-the-token' });
		assert(wrongToken.status === 403, `B-auth with a wrong token: ${wrongToken.status} ${wrongToken.text}`);
		// The recipe checks the raw bytes: the sample is not in JSON.stringify's form, so an HMAC over
		// re-serialised JSON would not match its signature, yet the signed sample is accepted.
		assert(sitemark.body.toString() !== JSON.stringify(JSON.parse(sitemark.body.toString())), 'the Sitemark sample is in canonical JSON form');
		const recipe = {
			signed: await send(n8n, cUrl, sitemark.body, sitemark.headers),
			forged: await send(n8n, cUrl, sitemark.body, forgedHeaders),
			tampered: await send(n8n, cUrl, Buffer.from(sitemark.body.toString().replace('job_xyz789', 'job_xyz788')), sitemark.headers),
			unsigned: await send(n8n, cUrl, sitemark.body, { 'content-type': 'application/json' }),
		};
		assert(recipe.signed.status === 200 && (recipe.signed.json as { received?: boolean })?.received === true, `C signed: ${recipe.signed.status} ${recipe.signed.text}`);
		assert(recipe.forged.status === 401, `C forged: ${recipe.forged.status} ${recipe.forged.text}`);
		assert(recipe.tampered.status === 401, `C body changed after signing: ${recipe.tampered.status} ${recipe.tampered.text}`);
		progress(
			`C answers: signed ${recipe.signed.status} ${recipe.signed.text.replace(/\s+/g, '')}, forged ${recipe.forged.status}, ` +
				`body changed ${recipe.tampered.status}, no signature header ${recipe.unsigned.status} ${recipe.unsigned.text.replace(/\s+/g, '').slice(0, 80)}`,
		);
		if (SAVE_SUCCESS === 'all') {
			// The recipe's forged deliveries are successful executions (they end in Respond 401).
			const executions = await n8n.executions(cWorkflowId);
			progress(`C kept ${executions.length} execution(s) from the checks`);
		}

		const pids = n8nPids(n8n.userFolder);
		assert(pids.length > 0, 'found no n8n process to read CPU time from');
		progress(`n8n processes: ${pids.join(', ')}; counting isolates per delivery`);
		const accounting = await accountIsolates(n8n, targets, pids);

		const out: string[] = [];
		const heading =
			`n8n ${n8n.installation.n8nVersion} on Node ${n8n.installation.nodeVersion} (SQLite, EXECUTIONS_DATA_SAVE_ON_SUCCESS=${SAVE_SUCCESS}); ` +
			`engine: ${engine.description}.` +
			` Triggers at typeVersion ${TRIGGER_TYPE_VERSION ?? HARNESS_TRIGGER_TYPE_VERSION}.` +
			(Object.keys(EXTRA_N8N_ENV).length ? ` Extra n8n settings: ${Object.entries(EXTRA_N8N_ENV).map(([k, v]) => `${k}=${v}`).join(', ')}.` : '');
		const result: EngineResult = { engine, accounting, rate: new Map(), cpuMs: new Map(), ratios: new Map(), text: '' };
		if (COUNT_ONLY) {
			out.push(heading, ...accountingTables(targets, accounting));
			result.text = out.join('\n');
			return result;
		}

		// -- Warm-up, then rounds
		progress(`waiting until idle`);
		await waitUntilIdle(pids);
		if (!noWait) await waitForQuietMachine(pids);
		const clientCpuStart = process.cpuUsage();
		const benchStart = Date.now();
		for (const target of targets) {
			progress(`warm-up ${target.group} ${target.label} (${WARMUP_SECONDS} s)`);
			const warm = await measure(target, WARMUP_SECONDS, pids);
			if (warm.unexpected) progress(`  warm-up unexpected answers: ${warm.unexpected}`);
		}
		const windows = targets.map(() => [] as Window[]);
		let retried = 0;
		let maxForeign = 0;
		for (let round = 0; round < ROUNDS; round++) {
			for (let k = 0; k < targets.length; k++) {
				const index = (k + round) % targets.length;
				const target = targets[index];
				if (LEAD_IN_SECONDS > 0) await measure(target, LEAD_IN_SECONDS, pids);
				const window = noWait ? { ...(await measure(target, SECONDS, pids)), retries: 0 } : await measureUndisturbed(target, SECONDS, pids);
				windows[index].push(window);
				retried += window.retries;
				maxForeign = Math.max(maxForeign, window.foreign);
				progress(
					`[${engine.name}] round ${round + 1}/${ROUNDS} ${target.group.padEnd(8)} ${target.label.padEnd(42)} ${fmtRate(window.rate).padStart(5)}/s ` +
						`p50 ${fmtMs(window.p50)} p99 ${fmtMs(window.p99)} cpu ${window.cpuMs.toFixed(2)} ms drain ${window.drain.toFixed(1)} s` +
						(window.counted ? ` isolates ${fmtCount(perDelivery(window.counted.bridgesTaken, window.counted.webhookRequests))}/delivery` : '') +
						(window.unexpected ? `  UNEXPECTED: ${window.unexpected}` : ''),
				);
			}
		}
		const clientCpu = process.cpuUsage(clientCpuStart);
		const benchSeconds = (Date.now() - benchStart) / 1000;

		// -- Table
		out.push(
			heading +
				` Load: autocannon in Node ${process.version}, ${CONNECTIONS} connections over 127.0.0.1, ` +
				`${ROUNDS} rounds × ${SECONDS} s per target after ${WARMUP_SECONDS} s warm-up; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}). ` +
				`Medians over the rounds.`,
			'',
			'| | target | deliveries/s | p50 | p90 | p99 | n8n CPU per delivery | isolates per delivery, under load | n8n busy after the window | answer |',
			'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
		);
		const medianRate = targets.map((_, i) => median(windows[i].map((w) => w.rate)));
		targets.forEach((target, i) => {
			const w = windows[i];
			const unexpected = w.map((x) => x.unexpected).filter((x) => x !== '');
			const isolates = median(w.map((x) => (x.counted ? perDelivery(x.counted.bridgesTaken, x.counted.webhookRequests) : NaN)));
			const cpuMs = median(w.map((x) => x.cpuMs));
			if (!result.rate.has(target.group)) {
				result.rate.set(target.group, medianRate[i]);
				result.cpuMs.set(target.group, cpuMs);
			}
			out.push(
				`| ${target.group} | ${target.label} | ${fmtRate(medianRate[i])} | ${fmtMs(median(w.map((x) => x.p50)))} | ` +
					`${fmtMs(median(w.map((x) => x.p90)))} | ${fmtMs(median(w.map((x) => x.p99)))} | ` +
					`${cpuMs.toFixed(1)} ms | ${fmtCount(isolates)} | ${median(w.map((x) => x.drain)).toFixed(1)} s | ${target.expectedStatus}${unexpected.length ? ` (also: ${unexpected.join('; ')})` : ''} |`,
			);
		});
		const index = (group: Target['group'], label?: string) =>
			targets.findIndex((target) => target.group === group && (label === undefined || target.label === label));
		/** Per round: deliveries/s of one over the other, and the other's n8n CPU per delivery over the one's. */
		const ratio = (numerator: number, denominator: number) => ({
			rate: windows[numerator].map((w, round) => w.rate / windows[denominator][round].rate),
			cpu: windows[numerator].map((w, round) => windows[denominator][round].cpuMs / w.cpuMs),
		});
		const rows: Array<{ label: string; values: ReturnType<typeof ratio>; goal: string; threshold?: number }> = [];
		const b = index('B');
		const c = index('C');
		for (const provider of list) {
			rows.push({ label: `A/B accepted, ${provider.label}`, values: ratio(index('A', provider.label), b), goal: '≥ 0.9', threshold: 0.9 });
		}
		rows.push({
			label: 'A/B-auth accepted, Sitemark',
			values: ratio(index('A', sitemark.label), index('B-auth')),
			goal: '≥ 1',
			threshold: 1,
		});
		for (const provider of list) {
			const own = provider.key === 'sitemark';
			rows.push({
				label: `A/C accepted, ${provider.label}`,
				values: ratio(index('A', provider.label), c),
				goal: own ? '≥ 2' : '(C checks Sitemark’s scheme)',
				threshold: own ? 2 : undefined,
			});
		}
		rows.push({ label: 'A/C forged, Sitemark', values: ratio(index('A forged'), index('C forged')), goal: '≥ 5', threshold: 5 });
		rows.push({
			label: 'A forged/B accepted (a refusal against the floor’s whole delivery)',
			values: ratio(index('A forged'), b),
			goal: '≥ 1',
			threshold: 1,
		});
		rows.push({ label: 'C/B accepted (the recipe against the floor)', values: ratio(c, b), goal: '' });
		const summary = (values: number[]) => {
			const finite = values.filter((value) => Number.isFinite(value));
			const m = median(finite);
			const range = finite.length ? `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}` : '–';
			return { m, text: `${Number.isFinite(m) ? m.toFixed(2) : '–'} (${range})` };
		};
		out.push(
			'',
			'| ratio | deliveries/s: median over rounds (range) | goal | met | n8n CPU per delivery, inverse: median (range) |',
			'| --- | --- | --- | --- | --- |',
		);
		for (const row of rows) {
			const rate = summary(row.values.rate);
			const cpu = summary(row.values.cpu);
			result.ratios.set(row.label, rate.m);
			result.ratios.set(`cpu: ${row.label}`, cpu.m);
			const met =
				row.threshold === undefined ? '' : rate.m >= row.threshold ? 'yes' : `no: ${((rate.m / row.threshold) * 100).toFixed(0)}% of the goal`;
			out.push(`| ${row.label} | ${rate.text} | ${row.goal} | ${met} | ${cpu.text} |`);
		}
		out.push(
			'',
			`Measured phase: ${benchSeconds.toFixed(0)} s; the load generator used ` +
				`${((clientCpu.user + clientCpu.system) / 1e6).toFixed(0)} s of CPU in it (same machine as n8n). ` +
				`Other processes used at most ${maxForeign.toFixed(2)} cores during a kept window; ${retried} window(s) were measured again because something else ran.`,
			...accountingTables(targets, accounting),
		);
		result.text = out.join('\n');
		return result;
	} finally {
		await n8n.dispose();
		fs.rmSync(countsDir, { recursive: true, force: true });
		countsDir = undefined;
	}
}

/** One table over the engines: isolates per delivery and the ratios the goals are about. */
function enginesTable(results: EngineResult[]): string[] {
	const taken = (result: EngineResult, label: string) => {
		const c = result.accounting.get(label);
		return c ? fmtCount(perDelivery(c.bridgesTaken, c.webhookRequests || c.deliveries)) : '–';
	};
	const ratio = (result: EngineResult, label: string) => {
		const value = result.ratios.get(label);
		return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(2);
	};
	const out = [
		'',
		'### Per engine: isolates per delivery, and the ratios',
		'',
		'Isolates: handed out by n8n per delivery (the accounting above). Ratios: deliveries/s, median over the rounds.',
		'',
		'| engine | isolates: A Sitemark | A forged | B | B-auth | C | A/B | A/B-auth | A/C | A/C forged | A forged/B |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
	];
	const rows: string[] = [];
	for (const result of results) {
		rows.push(
			`| ${result.engine.name} | ${taken(result, 'Sitemark')} | ${taken(result, 'Sitemark, forged')} | ${taken(result, 'n8n Webhook node, no verification')} | ` +
				`${taken(result, 'n8n Webhook node, Header Auth')} | ${taken(result, 'Webhook → Crypto → If → Respond')} | ` +
				`${ratio(result, 'A/B accepted, Sitemark')} | ${ratio(result, 'A/B-auth accepted, Sitemark')} | ${ratio(result, 'A/C accepted, Sitemark')} | ` +
				`${ratio(result, 'A/C forged, Sitemark')} | ${ratio(result, 'A forged/B accepted (a refusal against the floor’s whole delivery)')} |`,
		);
	}
	out.push(...rows);
	const groups: Array<Target['group']> = ['A', 'A forged', 'B', 'B-auth', 'C', 'C forged'];
	const rate = (result: EngineResult, group: Target['group']) => fmtRate(result.rate.get(group) ?? NaN);
	const cpu = (result: EngineResult, group: Target['group']) => fmtMs(result.cpuMs.get(group) ?? NaN);
	out.push(
		'',
		'Deliveries/s and n8n CPU per delivery (medians over the rounds; A and A forged: Sitemark):',
		'',
		`| engine | ${groups.map((group) => `${group}: deliveries/s`).join(' | ')} | ${groups.map((group) => `${group}: n8n CPU`).join(' | ')} |`,
		`| --- |${groups.map(() => ' --- |').join('')}${groups.map(() => ' --- |').join('')}`,
	);
	for (const result of results) {
		out.push(
			`| ${result.engine.name} | ${groups.map((group) => rate(result, group)).join(' | ')} | ${groups.map((group) => cpu(result, group)).join(' | ')} |`,
		);
	}
	return out;
}

async function main(): Promise<void> {
	const results: EngineResult[] = [];
	for (const engine of SELECTED_ENGINES) {
		const result = await runEngine(engine);
		results.push(result);
		process.stdout.write(`\n### Engine: ${engine.name}\n\n${result.text}\n`);
	}
	process.stdout.write(`${enginesTable(results).join('\n')}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	},
);
