/**
 * Sitemarks Trigger on a real n8n (one start): the six documented events, signed as Sitemarks signs
 * them (hex HMAC-SHA256 of the raw body in X-Webhook-Signature, the event in X-Webhook-Event), and
 * the deliveries that must start nothing. N8N_LINE=2 (default) or 1 picks the n8n line.
 */
import {
	expectIgnored,
	expectRefused,
	expectStarted,
	fixtureText,
	NOT_UNDERSTOOD,
	oneNewExecution,
	post,
	triggerSuite,
	type Deployed,
} from './harness/deliveries';
import { lineFromEnv, nodeOutput, type N8n } from '../../scripts/n8n/n8n';
import { allEvents } from '../support/deliveries';
import { provider } from '../support/providers';
import { hmacSha256 } from '../support/signer';

const line = lineFromEnv();
const SITEMARKS = provider('sitemarks');
const SECRET = 'sitemarks-e2e-signing-secret-7d2b';
const EVENTS = allEvents(SITEMARKS);

/** As Sitemarks signs: hex HMAC-SHA256 of the exact body bytes, no prefix. */
function sign(body: string, secret = SECRET): string {
	return hmacSha256(secret, body);
}

const sample = (event: string) => fixtureText('sitemarks', `${event}.json`);

describe(`Sitemarks Trigger on n8n line ${line}`, () => {
	const suite = triggerSuite(SITEMARKS, { webhookSecret: SECRET });
	let n8n: N8n;
	/** Every event selected: each documented delivery starts it. */
	let all: Deployed;
	/** Two events selected: deliveries that must start nothing go here. */
	let guarded: Deployed;

	const deploy = (events: readonly string[], { activate = true } = {}) => suite.deploy({ events: [...events] }, { activate });

	function deliver(
		url: string,
		body: string,
		{ event, signature }: { event?: string | null; signature?: string | null } = {},
	) {
		const named = event === undefined ? (JSON.parse(body) as { event: string }).event : event;
		return post(n8n, url, body, {
			'content-type': 'application/json',
			'X-Webhook-Event': named,
			'X-Webhook-Signature': signature === undefined ? sign(body) : signature,
		});
	}

	beforeAll(async () => {
		n8n = suite.n8n;
		all = await deploy(EVENTS);
		guarded = await deploy(['annotation.created', 'comment.created']);
	}, 10 * 60_000);

	test.each(EVENTS)('a signed %s delivery answers 200 and starts one execution whose item is the payload', async (event) => {
		const body = sample(event);
		const before = await n8n.executions(all.id);

		const execution = await expectStarted(n8n, all, before, await deliver(n8n.productionUrl(all.webhookId), body));

		expect(nodeOutput(execution, all.triggerName)).toEqual([JSON.parse(body)]);
		expect(nodeOutput(execution, 'No Op')).toEqual([JSON.parse(body)]);
	});

	test('the six deliveries made exactly six executions, one per payload', async () => {
		const executions = await n8n.executionsAfterSettling(all.id);
		expect(executions).toHaveLength(EVENTS.length);
		const items = await Promise.all(
			executions.map(async (summary) => nodeOutput(await n8n.execution(summary.id), all.triggerName)),
		);
		expect(items.map((output) => (output[0] as { event: string }).event).sort()).toEqual([...EVENTS].sort());
	});

	test.each([
		['signed with another secret', (body: string) => ({ body, signature: sign(body, 'not-the-secret') })],
		['with a body changed after signing', (body: string) => ({ body: body.replace('Alice', 'Mallory'), signature: sign(body) })],
		['without a signature header', (body: string) => ({ body, signature: null })],
		['with a sha256= prefixed signature', (body: string) => ({ body, signature: `sha256=${sign(body)}` })],
		['with one hex digit too many', (body: string) => ({ body, signature: `${sign(body)}0` })],
	])('a delivery %s answers 401 and starts nothing', async (_label, forge) => {
		const { body, signature } = forge(sample('comment.created'));
		const before = await n8n.executions(guarded.id);
		await expectRefused(n8n, guarded, before, await deliver(n8n.productionUrl(guarded.webhookId), body, { signature }), 401);
	});

	test('a signed delivery of an event that is not selected answers 200 and starts nothing (with and without the event header)', async () => {
		const before = await n8n.executions(guarded.id);
		const body = sample('markup.deleted');

		await expectIgnored(n8n, guarded, before, await deliver(n8n.productionUrl(guarded.webhookId), body));
		await expectIgnored(n8n, guarded, before, await deliver(n8n.productionUrl(guarded.webhookId), body, { event: null }));
	});

	test('a correctly signed delivery whose X-Webhook-Event names another selected event answers 400 and starts nothing', async () => {
		const before = await n8n.executions(guarded.id);
		const body = sample('annotation.created');

		const response = await deliver(n8n.productionUrl(guarded.webhookId), body, { event: 'comment.created' });

		await expectRefused(n8n, guarded, before, response, 400, NOT_UNDERSTOOD);
	});

	test('after all those refusals the guarded workflow still starts on a genuine delivery, and only for it', async () => {
		const body = sample('comment.created');
		const before = await n8n.executions(guarded.id);
		expect(before).toEqual([]);

		const response = await deliver(n8n.productionUrl(guarded.webhookId), body);

		expect(response.status).toBe(200);
		const execution = await oneNewExecution(n8n, guarded.id, before);
		expect(nodeOutput(execution, guarded.triggerName)).toEqual([JSON.parse(body)]);
		expect(await n8n.executionsAfterSettling(guarded.id)).toHaveLength(1);
	});

	test('with Include Headers on, the item carries the request headers except the signature', async () => {
		const built = await suite.deploy({ events: ['markup.status_changed'], options: { includeHeaders: true } });
		const body = sample('markup.status_changed');

		expect((await deliver(n8n.productionUrl(built.webhookId), body)).status).toBe(200);

		const [item] = nodeOutput(await oneNewExecution(n8n, built.id, []), built.triggerName);
		const { headers, ...payload } = item as { headers: Record<string, unknown> };
		expect(payload).toEqual(JSON.parse(body));
		expect(headers).toMatchObject({ 'x-webhook-event': 'markup.status_changed', 'content-type': 'application/json' });
		expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain('x-webhook-signature');
		expect(JSON.stringify(item)).not.toContain(sign(body));
	});

	test('the test URL takes one signed delivery while the workflow listens for a test event', async () => {
		const listening = await deploy(['comment.updated'], { activate: false });
		const body = sample('comment.updated');
		const url = n8n.testUrl(listening.webhookId);

		expect((await deliver(url, body)).status).toBe(404);
		await n8n.listenForTestEvent(listening.id, listening.triggerName);
		// Refused and ignored deliveries leave it listening.
		expect((await deliver(url, body, { signature: sign(body, 'not-the-secret') })).status).toBe(401);
		expect((await deliver(url, sample('markup.deleted'))).status).toBe(200);
		const response = await deliver(url, body);

		expect(response.status).toBe(200);
		const execution = await oneNewExecution(n8n, listening.id, [], { mode: 'manual' });
		expect(nodeOutput(execution, listening.triggerName)).toEqual([JSON.parse(body)]);
		expect((await deliver(url, body)).status).toBe(404);
	});
});
