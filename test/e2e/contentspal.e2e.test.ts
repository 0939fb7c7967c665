/**
 * ContentsPal Trigger on a real n8n (one start): the three documented events signed as ContentsPal
 * signs them (`sha256=` + hex HMAC-SHA256 of the raw body in X-Webhook-Signature, the event in
 * X-Webhook-Event), refusals, unsigned deliveries end to end (ContentsPal's secret is optional), and
 * the Watched Fields filter. N8N_LINE=2 (default) or 1 picks the n8n line.
 */
import {
	expectIgnored,
	expectNoNewExecution,
	expectRefused,
	expectStarted,
	fixtureText,
	oneNewExecution,
	post,
	triggerSuite,
	type Deployed,
} from './harness/deliveries';
import { lineFromEnv, nodeOutput, type N8n, type PublicationStatus } from '../../scripts/n8n/n8n';
import { allEvents } from '../support/deliveries';
import { provider } from '../support/providers';
import { signatureFor } from '../support/signer';

const line = lineFromEnv();
const CONTENTSPAL = provider('contentspal');
const SECRET = 'contentspal-e2e-signing-secret-31a8';
const EVENTS = allEvents(CONTENTSPAL);

/** As ContentsPal signs: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
function sign(body: string, secret = SECRET): string {
	return signatureFor(secret, Buffer.from(body, 'utf8'), { encoding: 'hex', prefix: 'sha256=' });
}

const sample = (event: string) => fixtureText('contentspal', `${event}.json`);

describe(`ContentsPal Trigger on n8n line ${line}`, () => {
	const suite = triggerSuite(CONTENTSPAL, { webhookSecret: SECRET });
	let n8n: N8n;
	let signed: Deployed;
	let guarded: Deployed;
	/**
	 * The workflow without a credential that does not accept unsigned deliveries, and the outcome of
	 * activating it. The activation starts in beforeAll and is awaited by the last test: on 2.x n8n
	 * retries a trigger that fails to activate (about 15 s) before it reports the publication failed.
	 */
	let refused: { id: string; webhookId: string; activation: Promise<Error | 'activated'> };

	const deploy = (parameters: Record<string, unknown>, options: { withCredential?: boolean } = {}) =>
		suite.deploy({ events: [...EVENTS], ...parameters }, options.withCredential === false ? { credential: null } : {});

	/** Posts as ContentsPal does; `signature: null` sends none (no signing secret at ContentsPal). */
	function deliver(url: string, body: string, { signature }: { signature?: string | null } = {}) {
		return post(suite.n8n, url, body, {
			'content-type': 'application/json',
			'user-agent': 'ContentsPal-Webhook/1.0',
			'X-Webhook-Event': (JSON.parse(body) as { event: string }).event,
			'X-Webhook-Signature': signature === undefined ? sign(body) : signature,
		});
	}

	beforeAll(async () => {
		n8n = suite.n8n;
		signed = await deploy({});
		guarded = await deploy({});
		const unguarded = suite.build({ events: [...EVENTS], acceptUnsignedDeliveries: false }, { credential: null });
		const { id } = await n8n.createWorkflow(unguarded.workflow);
		refused = {
			id,
			webhookId: unguarded.webhookId,
			activation: n8n.activateWorkflow(id, { timeoutMs: 90_000 }).then(
				() => 'activated' as const,
				(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
			),
		};
	}, 10 * 60_000);

	test.each(EVENTS)('a signed %s delivery answers 200 and starts one execution whose item is the payload', async (event) => {
		const body = sample(event);
		const before = await n8n.executions(signed.id);

		const execution = await expectStarted(n8n, signed, before, await deliver(n8n.productionUrl(signed.webhookId), body));

		expect(nodeOutput(execution, signed.triggerName)).toEqual([JSON.parse(body)]);
	});

	test('the three deliveries made exactly three executions', async () => {
		expect(await n8n.executionsAfterSettling(signed.id)).toHaveLength(EVENTS.length);
	});

	test.each([
		['signed with another secret', (body: string) => ({ body, signature: sign(body, 'not-the-secret') })],
		['with a body changed after signing', (body: string) => ({ body: body.replace('Smith', 'Smyth'), signature: sign(body) })],
		['without a signature while the credential has a secret', (body: string) => ({ body, signature: null })],
		['with a bare hex signature (no sha256= prefix)', (body: string) => ({ body, signature: sign(body).slice(7) })],
	])('a delivery %s answers 401 and starts nothing', async (_label, forge) => {
		const { body, signature } = forge(sample('job.created'));
		const before = await n8n.executions(guarded.id);
		await expectRefused(n8n, guarded, before, await deliver(n8n.productionUrl(guarded.webhookId), body, { signature }), 401);
	});

	test('with a secret in the credential an unsigned delivery is refused even when Accept Unsigned Deliveries is on', async () => {
		const workflow = await deploy({ acceptUnsignedDeliveries: true });

		const response = await deliver(n8n.productionUrl(workflow.webhookId), sample('job.created'), { signature: null });

		await expectRefused(n8n, workflow, [], response, 401);
	});

	test('without a credential and with Accept Unsigned Deliveries on, an unsigned delivery starts one execution', async () => {
		const workflow = await deploy({ acceptUnsignedDeliveries: true }, { withCredential: false });
		const body = sample('job.deleted');

		const response = await deliver(n8n.productionUrl(workflow.webhookId), body, { signature: null });

		const execution = await expectStarted(n8n, workflow, [], response);
		expect(nodeOutput(execution, workflow.triggerName)).toEqual([JSON.parse(body)]);
		expect(await n8n.executionsAfterSettling(workflow.id)).toHaveLength(1);
	});

	test('with Watched Fields = jobName, the documented job.updated (settings.customer changed) answers 200 and starts nothing', async () => {
		const workflow = await deploy({ options: { watchedFields: ['jobName'] } });
		const body = sample('job.updated');
		expect((JSON.parse(body) as { changes: Array<{ field: string }> }).changes.map((c) => c.field)).toEqual([
			'settings.customer',
		]);

		await expectIgnored(n8n, workflow, [], await deliver(n8n.productionUrl(workflow.webhookId), body));

		// The same workflow starts for a job.updated whose changes name jobName.
		const renamed = JSON.parse(body) as { changes: unknown[] };
		renamed.changes = [{ field: 'jobName', oldValue: 'Smith Residence', newValue: 'Smith Residence - Fire Damage' }];
		const renamedBody = JSON.stringify(renamed);
		expect((await deliver(n8n.productionUrl(workflow.webhookId), renamedBody)).status).toBe(200);
		const execution = await oneNewExecution(n8n, workflow.id, []);
		expect(nodeOutput(execution, workflow.triggerName)).toEqual([renamed]);
	});

	test('without a credential and with Accept Unsigned Deliveries off, the workflow fails to activate and takes no delivery', async () => {
		// The harness's activateWorkflow rejects when n8n refuses the activation (1.x) or reports the
		// publication failed (2.x); the message is the one the node's webhook create() throws.
		const outcome = await refused.activation;
		expect(outcome).toBeInstanceOf(Error);
		expect((outcome as Error).message).toMatch(/Select a ContentsPal credential with its signing secret/);

		if (n8n.major >= 2) {
			const status = await n8n.rest<PublicationStatus>('GET', `/workflows/${refused.id}/publication-status`);
			expect(status.status).toBe('failed');
			expect(status.liveVersionId).toBeNull();
			expect(status.triggers).toEqual([
				expect.objectContaining({
					status: 'failed',
					errorMessage: expect.stringContaining('Select a ContentsPal credential'),
				}),
			]);
		} else {
			expect((await n8n.getWorkflow(refused.id)).active).toBe(false);
		}
		const response = await deliver(n8n.productionUrl(refused.webhookId), sample('job.created'), { signature: null });
		expect(response.status).toBe(404);
		await expectNoNewExecution(n8n, refused.id, []);
	}, 120_000);
});
