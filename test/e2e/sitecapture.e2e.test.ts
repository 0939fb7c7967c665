/**
 * SiteCapture Trigger on a real n8n (one start): status_change deliveries authenticated both ways
 * SiteCapture does it (x-hmac-hash, HMAC-SHA256 of the raw body with the HMAC Shared Secret, hex or
 * base64; and the account's api_key in the body), the api_key kept out of everything n8n stores,
 * and the Workflow States filter. N8N_LINE=2 (default) or 1 picks the n8n line.
 */
import {
	expectIgnored,
	expectRefused,
	expectStarted,
	fixtureText,
	oneNewExecution,
	post,
	rawExecutionText,
	triggerSuite,
	type Deployed,
} from './harness/deliveries';
import { lineFromEnv, nodeOutput, type N8n } from '../../scripts/n8n/n8n';
import { provider } from '../support/providers';
import { hmacSha256 } from '../support/signer';

const line = lineFromEnv();
const SITECAPTURE = provider('sitecapture');
const SECRET = 'sitecapture-e2e-hmac-shared-secret-5e90';
/** The API key of the documented samples (nodes/SiteCapture/samples). */
const API_KEY = 'your_sitecapture_api_key';

/** HMAC-SHA256 of the exact body bytes with the HMAC Shared Secret, hex or base64. */
function hash(body: string, encoding: 'hex' | 'base64' = 'hex', secret = SECRET): string {
	return hmacSha256(secret, body, encoding);
}

const complete = fixtureText('sitecapture', 'status_change.json');
const inReview = fixtureText('sitecapture', 'status_change.in_review.json');

function withoutApiKey(body: string): Record<string, unknown> {
	const { api_key: _key, ...rest } = JSON.parse(body) as Record<string, unknown>;
	return rest;
}

describe(`SiteCapture Trigger on n8n line ${line}`, () => {
	const suite = triggerSuite(SITECAPTURE, { apiKey: API_KEY, webhookSecret: SECRET });
	let n8n: N8n;
	let open: Deployed;
	let guarded: Deployed;
	let completeOnly: Deployed;

	const deploy = (parameters: Record<string, unknown> = {}) => suite.deploy({ events: ['status_change'], ...parameters });

	function deliver(url: string, body: string, signature: string | null = hash(body)) {
		return post(n8n, url, body, { 'content-type': 'application/json', 'x-hmac-hash': signature });
	}

	beforeAll(async () => {
		expect(JSON.parse(complete)).toMatchObject({ api_key: API_KEY, workflow_state: 'COMPLETE' });
		expect(JSON.parse(inReview)).toMatchObject({ api_key: API_KEY, workflow_state: 'QA_REVIEW' });
		n8n = suite.n8n;
		open = await deploy();
		guarded = await deploy();
		completeOnly = await deploy({ workflowStates: 'COMPLETE' });
	}, 10 * 60_000);

	test.each([
		['a hex', 'hex', complete],
		['a base64', 'base64', inReview],
	] as const)('status_change signed with %s hash answers 200 and starts one execution whose item has no api_key', async (_label, encoding, body) => {
		const before = await n8n.executions(open.id);

		const response = await deliver(n8n.productionUrl(open.webhookId), body, hash(body, encoding));

		const execution = await expectStarted(n8n, open, before, response);
		const [item] = nodeOutput(execution, open.triggerName);
		expect(item).toEqual(withoutApiKey(body));
		expect(item).not.toHaveProperty('api_key');
		expect(nodeOutput(execution, 'No Op')).toEqual([withoutApiKey(body)]);

		// The stored execution, as the REST API serves it, raw: the data is there, the key is not.
		const raw = await rawExecutionText(n8n, execution.id);
		expect(raw).toContain(String((JSON.parse(body) as { project_id: number }).project_id));
		expect(raw).toContain((JSON.parse(body) as { workflow_state: string }).workflow_state);
		expect(raw).not.toContain(API_KEY);
		expect(raw).not.toContain('api_key');
	});

	test('the two deliveries made exactly two executions', async () => {
		expect(await n8n.executionsAfterSettling(open.id)).toHaveLength(2);
	});

	test.each([
		[
			'a wrong api_key with a right hash',
			() => {
				const body = complete.replace(API_KEY, 'sc_live_0000000000');
				return { body, signature: hash(body) };
			},
		],
		['the right api_key with a hash keyed with another secret', () => ({ body: complete, signature: hash(complete, 'hex', 'not-the-secret') })],
		['the right api_key with a base64 hash keyed with another secret', () => ({ body: complete, signature: hash(complete, 'base64', 'not-the-secret') })],
		['the right api_key with the hash of another body', () => ({ body: complete, signature: hash(inReview) })],
		['no x-hmac-hash header', () => ({ body: complete, signature: null })],
		[
			'no api_key in the body, correctly hashed',
			() => {
				const body = JSON.stringify(withoutApiKey(complete));
				return { body, signature: hash(body) };
			},
		],
	])('a delivery with %s answers 401 and starts nothing', async (_label, forge) => {
		const before = await n8n.executions(guarded.id);
		const forged = forge();

		const response = await deliver(n8n.productionUrl(guarded.webhookId), forged.body, forged.signature);

		await expectRefused(n8n, guarded, before, response, 401);
	});

	test('with Workflow States = COMPLETE, a verified delivery in another state answers 200 and starts nothing', async () => {
		const response = await deliver(n8n.productionUrl(completeOnly.webhookId), inReview, hash(inReview, 'base64'));

		await expectIgnored(n8n, completeOnly, [], response);

		// The same workflow starts for a delivery in the COMPLETE state.
		expect((await deliver(n8n.productionUrl(completeOnly.webhookId), complete)).status).toBe(200);
		const execution = await oneNewExecution(n8n, completeOnly.id, []);
		expect(nodeOutput(execution, completeOnly.triggerName)).toEqual([withoutApiKey(complete)]);
	});

	test('the api_key appears in no stored execution of any workflow', async () => {
		const workflowIds = [open.id, guarded.id, completeOnly.id];
		const all = (await Promise.all(workflowIds.map(async (id) => await n8n.executions(id)))).flat();
		expect(all.length).toBeGreaterThanOrEqual(3);
		for (const summary of all) expect(await rawExecutionText(n8n, summary.id)).not.toContain(API_KEY);
		// Nor in what n8n logged about the refusals above (they name a reason, never the key).
		const logs = n8n.logs(4000);
		expect(logs).toContain('SiteCapture Trigger refused a delivery');
		expect(logs).not.toContain(API_KEY);
	});
});
