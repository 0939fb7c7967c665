/**
 * The load generator of the reliability suite: plain node:http over keep-alive loopback
 * connections, a fixed number of requests in flight, one record per request (status or
 * connection error, latency), and the arithmetic and tables the suite reports.
 */
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Delivery {
	/** What the suite matches executions with (a marker carried in the body). */
	key: string;
	/** For reports: 'signed', 'forged', ... */
	kind: string;
	body: Buffer;
	headers: Record<string, string>;
}

export interface Outcome {
	key: string;
	kind: string;
	/** HTTP status, when a response arrived. */
	status?: number;
	/** Error code when no response arrived (ECONNREFUSED, ECONNRESET, TIMEOUT, ...). */
	error?: string;
	/** Milliseconds from sending to the full response (or the error). */
	ms: number;
	/** Milliseconds since the run started, when the request was sent. */
	sentAt: number;
	text?: string;
}

export function newAgent(maxSockets: number): http.Agent {
	return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/**
 * One POST; never throws: a missing response is an `error`. With `answerFromHeadersMs`, the headers
 * go first and the body only if no answer has come within that time: a server that decides from
 * the headers alone (n8n's payload limit, from content-length) answers and closes, and an answer
 * that arrives while the client is still writing a large body can otherwise be lost to EPIPE.
 */
export function post(
	url: string,
	delivery: Pick<Delivery, 'body' | 'headers'>,
	{ agent, timeoutMs = 60_000, answerFromHeadersMs }: { agent?: http.Agent; timeoutMs?: number; answerFromHeadersMs?: number } = {},
): Promise<{ status?: number; error?: string; ms: number; text?: string }> {
	const started = performance.now();
	return new Promise((resolve) => {
		let settled = false;
		let answered: number | undefined;
		const finish = (result: { status?: number; error?: string; text?: string }) => {
			if (settled) return;
			settled = true;
			resolve({ ...result, ms: performance.now() - started });
		};
		const request = http.request(
			url,
			{
				method: 'POST',
				agent: agent ?? false,
				headers: { ...delivery.headers, 'content-length': String(delivery.body.length) },
				timeout: timeoutMs,
			},
			(response) => {
				answered = response.statusCode;
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => finish({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
				// The answer arrived even if its body was cut short: the status counts.
				response.on('error', () => finish({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
				response.on('aborted', () => finish({ status: response.statusCode }));
			},
		);
		request.on('timeout', () => {
			request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
		});
		// A server may answer (413) before it has read the whole body, then close: the answer counts.
		request.on('error', (error: NodeJS.ErrnoException) =>
			finish(answered !== undefined ? { status: answered } : { error: error.code ?? error.message }),
		);
		if (answerFromHeadersMs === undefined) {
			request.end(delivery.body);
			return;
		}
		request.flushHeaders();
		const sendBody = setTimeout(() => {
			if (answered === undefined && !settled) request.end(delivery.body);
		}, answerFromHeadersMs);
		request.on('response', (response) =>
			response.on('close', () => {
				// Answered from the headers: the body is not sent, and the connection is closed.
				clearTimeout(sendBody);
				if (!request.writableEnded) request.destroy();
			}),
		);
	});
}

/**
 * Sends every delivery with at most `concurrency` in flight. With `intervalMs`, delivery i is
 * not sent before i × intervalMs after the start (a paced stream). `onSent(i)` runs as delivery i
 * leaves (the fault test uses it to restart n8n mid-stream).
 */
export async function runDeliveries(
	url: string,
	deliveries: Delivery[],
	{
		concurrency,
		intervalMs = 0,
		timeoutMs = 60_000,
		onSent,
	}: { concurrency: number; intervalMs?: number; timeoutMs?: number; onSent?: (index: number) => void },
): Promise<{ outcomes: Outcome[]; seconds: number; startedAt: number }> {
	const agent = newAgent(concurrency);
	const outcomes: Outcome[] = new Array(deliveries.length);
	const start = performance.now();
	let next = 0;
	const worker = async () => {
		for (;;) {
			const index = next++;
			if (index >= deliveries.length) return;
			if (intervalMs > 0) {
				const due = start + index * intervalMs - performance.now();
				if (due > 0) await sleep(due);
			}
			const delivery = deliveries[index];
			const sentAt = performance.now() - start;
			onSent?.(index);
			const result = await post(url, delivery, { agent, timeoutMs });
			outcomes[index] = { key: delivery.key, kind: delivery.kind, sentAt, ...result };
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (performance.now() - start) / 1000;
	agent.destroy();
	return { outcomes, seconds, startedAt: start };
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `task` over `items` with at most `concurrency` at once; results in input order. */
export async function mapConcurrently<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, items.length) }, async () => {
			for (;;) {
				const index = next++;
				if (index >= items.length) return;
				results[index] = await task(items[index]);
			}
		}),
	);
	return results;
}

export interface Distribution {
	n: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
	mean: number;
}

/** Nearest-rank percentiles (the smallest value with at least p% of the values at or below it). */
export function distribution(values: number[]): Distribution {
	if (values.length === 0) return { n: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
	const sorted = [...values].sort((a, b) => a - b);
	const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
	const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
	return { n: values.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1], mean };
}

/** How many outcomes fall into each answer: `200`, `400`, `ECONNREFUSED`, ... */
export function tally(outcomes: Outcome[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const outcome of outcomes) {
		const key = outcome.status !== undefined ? String(outcome.status) : (outcome.error ?? 'unknown');
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

export function describeTally(counts: Record<string, number>): string {
	return Object.entries(counts)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([key, count]) => `${key}: ${count}`)
		.join(', ');
}

export const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 1 : 0)} ms` : '–');

/** A Markdown table. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
	const line = (cells: Array<string | number>) => `| ${cells.map(String).join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Pids of n8n processes (`pgrep -f n8n/bin/n8n`) that are not in `own`. */
export async function otherN8nPids(own: number[] = []): Promise<number[]> {
	const found = await new Promise<number[]>((resolve) => {
		execFile('pgrep', ['-f', 'n8n/bin/n8n'], (error, stdout) => {
			resolve(error ? [] : stdout.split('\n').filter((line) => line.trim() !== '').map(Number));
		});
	});
	const ownSet = new Set(own);
	return found.filter((pid) => !ownSet.has(pid));
}

/** Pids in a process group (`pgrep -g`). */
export async function groupPids(group: number | undefined): Promise<number[]> {
	if (group === undefined) return [];
	return await new Promise<number[]>((resolve) => {
		execFile('pgrep', ['-g', String(group)], (error, stdout) => {
			resolve(error ? [] : stdout.split('\n').filter((line) => line.trim() !== '').map(Number));
		});
	});
}
