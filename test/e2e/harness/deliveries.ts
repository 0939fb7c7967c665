/**
 * Delivering webhooks to a running n8n and checking what they started, shared by the trigger suites.
 * Signatures come from the one signer (test/support/signer.ts), samples from the one provider list.
 */
import { N8n, type ExecutionDetail, type ExecutionSummary, type HttpResult } from '../../../scripts/n8n/n8n';
import { sampleText } from '../../support/deliveries';
import { provider } from '../../support/providers';

/** What the triggers answer (README, "What each delivery gets back"). */
export const ACKNOWLEDGED = { received: true } as const;
export const REJECTED = { error: 'Webhook delivery rejected' } as const;
export const NOT_UNDERSTOOD = { error: 'Webhook payload not understood' } as const;

/** Long enough for an execution that a delivery started to be listed by the REST API. */
export const SETTLE_MS = 1500;

/** The exact text of a documented sample of the provider of `key` (e.g. `sitemark`), by file name. */
export function fixtureText(key: string, file: string): string {
	return sampleText(provider(key), file);
}

/** A Sitemark job.completed envelope for `jobId`, with `notes` in its data when given (to pad a body). */
export function sitemarkJobCompleted(jobId: string, notes?: string): Record<string, unknown> {
	return {
		event: 'job.completed',
		created_at: '2026-11-23T10:00:00Z',
		data: {
			job_id: jobId,
			name: 'Lot 14 subgrade',
			completed_at: '2026-11-23T09:58:12Z',
			shot_count: 128,
			pass_rate: 0.96,
			report_url: `https://app.sitemark.ai/reports/${jobId}`,
			...(notes === undefined ? {} : { notes }),
		},
	};
}

/** POSTs the exact bytes of `body`; headers whose value is null or undefined are not sent. */
export async function post(
	n8n: N8n,
	url: string,
	body: string | Buffer,
	headers: Record<string, string | null | undefined>,
): Promise<HttpResult> {
	const sent: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') sent[name] = value;
	return await n8n.request('POST', url, { rawBody: body, headers: sent });
}

/**
 * Waits until the workflow has one execution more than `before`, checks that there is exactly one
 * new one and that it is a successful webhook execution, and returns it with its data.
 */
export async function oneNewExecution(
	n8n: N8n,
	workflowId: string,
	before: ExecutionSummary[],
	{ mode = 'webhook' }: { mode?: string } = {},
): Promise<ExecutionDetail> {
	const after = await n8n.waitForExecutions(workflowId, before.length + 1);
	const known = new Set(before.map((execution) => execution.id));
	const fresh = after.filter((execution) => !known.has(execution.id));
	expect(fresh).toHaveLength(1);
	expect(fresh[0]).toMatchObject({ mode, status: 'success' });
	return await n8n.execution(fresh[0].id);
}

/** Waits SETTLE_MS and checks that the workflow's executions are still exactly `before`. */
export async function expectNoNewExecution(
	n8n: N8n,
	workflowId: string,
	before: ExecutionSummary[],
	settleMs = SETTLE_MS,
): Promise<void> {
	const after = await n8n.executionsAfterSettling(workflowId, settleMs);
	expect(after.map((execution) => execution.id).sort()).toEqual(before.map((execution) => execution.id).sort());
}

/** The execution as n8n's REST API returns it, unparsed: for searching the stored data as text. */
export async function rawExecutionText(n8n: N8n, executionId: string): Promise<string> {
	const result = await n8n.request('GET', `/rest/executions/${executionId}`, { auth: true });
	if (result.status !== 200) throw new Error(`GET /rest/executions/${executionId} answered ${result.status}`);
	return result.text;
}

/**
 * One n8n for the suite that calls it, started before its first test and disposed of after its
 * last; `get()` returns it. For suites with nothing else to set up once.
 */
export function n8nForSuite(): { get: () => N8n } {
	let n8n: N8n | undefined;
	beforeAll(async () => {
		n8n = await N8n.create();
		await n8n.start();
	}, 45 * 60_000);
	afterAll(async () => {
		await n8n?.dispose();
	}, 120_000);
	return {
		get: () => {
			if (n8n === undefined) throw new Error('n8n is not started yet');
			return n8n;
		},
	};
}
