/**
 * Delivering webhooks to a running n8n and checking what they started, shared by the trigger suites.
 * Signatures come from the one signer (test/support/signer.ts), samples from the one provider list.
 */
import { N8n, type ExecutionDetail, type ExecutionSummary, type HttpResult } from '../../../scripts/n8n/n8n';
import { triggerWorkflow } from '../../../scripts/n8n/workflows';
import { sampleText } from '../../support/deliveries';
import { provider, type Provider } from '../../support/providers';

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

/** A trigger workflow deployed for a test: its id, the trigger's webhook id and node name. */
export interface Deployed {
	id: string;
	webhookId: string;
	triggerName: string;
}

/** A credential as n8n's REST API names it. */
export interface CredentialRef {
	id: string;
	name: string;
}

/**
 * A provider's suite on one n8n: starts n8n and creates a credential of the provider's type with
 * `data` before the suite's first test, disposes of n8n after its last. Set-up of the suite's own
 * goes in a `beforeAll` of its own, which runs after this one.
 */
export function triggerSuite(of: Provider, data: Record<string, string>) {
	let started: N8n | undefined;
	let created: CredentialRef | undefined;
	beforeAll(async () => {
		started = await N8n.create();
		await started.start();
		created = await started.createCredential({ name: `${of.facts.name} e2e`, type: of.credentialType, data });
	}, 45 * 60_000);
	afterAll(async () => {
		await started?.dispose();
	}, 120_000);
	const suite = {
		get n8n(): N8n {
			if (started === undefined) throw new Error('n8n is not started yet');
			return started;
		},
		get credential(): CredentialRef {
			if (created === undefined) throw new Error('the suite credential is not created yet');
			return created;
		},
		/** Trigger → No Op with `parameters` (options empty unless given) and the suite's credential, or `credential`. */
		build(parameters: Record<string, unknown>, { credential }: { credential?: CredentialRef | null } = {}) {
			return triggerWorkflow({
				node: of.nodeName,
				triggerName: of.displayName,
				credentialType: of.credentialType,
				credential: credential === undefined ? suite.credential : credential,
				parameters: { options: {}, ...parameters },
			});
		},
		/** `build`, then create it in n8n and, unless `activate` is false, activate it. */
		async deploy(
			parameters: Record<string, unknown>,
			{ activate = true, credential }: { activate?: boolean; credential?: CredentialRef | null } = {},
		): Promise<Deployed> {
			const built = suite.build(parameters, { credential });
			return { ...built, id: await suite.n8n.deploy(built.workflow, { activate }) };
		},
	};
	return suite;
}

/** The trigger acknowledged `response` and started exactly one new execution: it is returned. */
export async function expectStarted(
	n8n: N8n,
	workflow: Deployed,
	before: ExecutionSummary[],
	response: HttpResult,
	{ mode = 'webhook' }: { mode?: string } = {},
): Promise<ExecutionDetail> {
	expect({ status: response.status, json: response.json }).toEqual({ status: 200, json: ACKNOWLEDGED });
	return await oneNewExecution(n8n, workflow.id, before, { mode });
}

/** The trigger acknowledged `response` and started nothing (a delivery it ignores or drops). */
export async function expectIgnored(n8n: N8n, workflow: Deployed, before: ExecutionSummary[], response: HttpResult): Promise<void> {
	expect({ status: response.status, json: response.json }).toEqual({ status: 200, json: ACKNOWLEDGED });
	await expectNoNewExecution(n8n, workflow.id, before);
}

/** The trigger refused `response` with `status` and `answer` and started nothing. */
export async function expectRefused(
	n8n: N8n,
	workflow: Deployed,
	before: ExecutionSummary[],
	response: HttpResult,
	status: number,
	answer: unknown = REJECTED,
): Promise<void> {
	expect({ status: response.status, json: response.json }).toEqual({ status, json: answer });
	await expectNoNewExecution(n8n, workflow.id, before);
}
