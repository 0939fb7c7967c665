/**
 * Sitemark Trigger on a real n8n: the package installed from its tarball, deliveries over HTTP,
 * executions read back over n8n's REST API. N8N_LINE=2 (default) or 1 picks the n8n line.
 */
import { sitemarkJobCompleted, triggerSuite } from './harness/deliveries';
import { lineFromEnv, nodeOutput, type N8n } from '../../scripts/n8n/n8n';
import { nodeType, triggerWorkflow } from '../../scripts/n8n/workflows';
import { provider } from '../support/providers';
import { hmacSha256 as hmacHex } from '../support/signer';

const line = lineFromEnv();
const SITEMARK = provider('sitemark');
const SECRET = 'sitemark-e2e-secret-4f1c9a';
const CREDENTIAL_TYPE = SITEMARK.credentialType;
const SIGNATURE_HEADER = SITEMARK.facts.signature.header;

const jobCompleted = sitemarkJobCompleted;

const shotLogged = {
	event: 'shot.logged',
	created_at: '2026-11-23T10:01:00Z',
	data: {
		shot_id: 'shot_77',
		job_id: 'job_1',
		elevation: 101.42,
		design_grade: 101.4,
		delta: 0.02,
		pass: true,
		station: '12+50',
		offset: 'CL',
		logged_at: '2026-11-23T10:00:58Z',
	},
};

describe(`Sitemark Trigger on n8n line ${line}`, () => {
	const suite = triggerSuite(SITEMARK, { webhookSecret: SECRET });
	let n8n: N8n;

	/** Posts `body` (exact bytes) to `url`, signed with `secret` unless a signature is given. */
	async function deliver(
		url: string,
		body: string,
		{ secret = SECRET, signature }: { secret?: string; signature?: string | null } = {},
	) {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		const value = signature === undefined ? hmacHex(secret, body) : signature;
		if (value !== null) headers[SIGNATURE_HEADER] = value;
		return await n8n.request('POST', url, { rawBody: body, headers });
	}

	const deployWorkflow = (events: string[], { activate = true } = {}) => suite.deploy({ events }, { activate });

	beforeAll(() => {
		n8n = suite.n8n;
	});

	test('n8n lists the node type and its credential type', async () => {
		const nodeTypes = await n8n.nodeTypeNames();
		expect(nodeTypes).toContain(nodeType(SITEMARK.nodeName));
		const credentialTypes = await n8n.credentialTypeNames();
		expect(credentialTypes).toContain(CREDENTIAL_TYPE);
	});

	test('a signed job.completed delivery answers 200 and starts exactly one execution with the payload', async () => {
		const workflow = await deployWorkflow(['job.completed', 'report.generated']);
		const payload = jobCompleted('job_signed_1');
		const body = JSON.stringify(payload);

		const response = await deliver(n8n.productionUrl(workflow.webhookId), body);

		expect(response.status).toBe(200);
		expect(response.text).not.toBe('firstEntryJson');
		expect(response.json).toEqual(expect.any(Object));
		const executions = await n8n.waitForExecutions(workflow.id, 1);
		expect(executions).toHaveLength(1);
		expect(executions[0]).toMatchObject({ mode: 'webhook', status: 'success' });
		const execution = await n8n.execution(executions[0].id);
		expect(nodeOutput(execution, workflow.triggerName)).toEqual([payload]);
		expect(nodeOutput(execution, 'No Op')).toEqual([payload]);
		// Nothing else starts later.
		expect(await n8n.executionsAfterSettling(workflow.id, 1500)).toHaveLength(1);
	});

	test.each([
		['signed with another secret', (body: string) => ({ body, signature: hmacHex('not-the-secret', body) })],
		['without a signature header', (body: string) => ({ body, signature: null })],
		['with a body changed after signing', (body: string) => ({ body: body.replace('job_', 'jab_'), signature: hmacHex(SECRET, body) })],
		['with a signature that is not hex', (body: string) => ({ body, signature: `sha256=${hmacHex(SECRET, body)}` })],
	])('a forged delivery (%s) answers 400 and starts nothing', async (_label, forge) => {
		const workflow = await deployWorkflow(['job.completed']);
		const forged = forge(JSON.stringify(jobCompleted('job_forged')));

		const response = await deliver(n8n.productionUrl(workflow.webhookId), forged.body, {
			signature: forged.signature,
		});

		expect(response.status).toBe(400);
		expect(await n8n.executionsAfterSettling(workflow.id)).toEqual([]);
	});

	test('a signed delivery of an event that is not selected answers 200 and starts nothing', async () => {
		const workflow = await deployWorkflow(['job.completed']);

		const response = await deliver(n8n.productionUrl(workflow.webhookId), JSON.stringify(shotLogged));

		expect(response.status).toBe(200);
		expect(await n8n.executionsAfterSettling(workflow.id)).toEqual([]);
	});

	test('the test URL takes one signed delivery while the workflow listens for a test event', async () => {
		const workflow = await deployWorkflow(['job.completed'], { activate: false });
		const payload = jobCompleted('job_test_url');
		const body = JSON.stringify(payload);

		// Not listening: n8n does not know the test webhook.
		expect((await deliver(n8n.testUrl(workflow.webhookId), body)).status).toBe(404);

		await n8n.listenForTestEvent(workflow.id, workflow.triggerName);
		// Deliveries that start nothing (forged, or an event not selected) leave it listening.
		expect((await deliver(n8n.testUrl(workflow.webhookId), body, { secret: 'not-the-secret' })).status).toBe(400);
		expect((await deliver(n8n.testUrl(workflow.webhookId), JSON.stringify(shotLogged))).status).toBe(200);
		const response = await deliver(n8n.testUrl(workflow.webhookId), body);

		expect(response.status).toBe(200);
		const executions = await n8n.waitForExecutions(workflow.id, 1);
		expect(executions).toHaveLength(1);
		expect(executions[0]).toMatchObject({ mode: 'manual', status: 'success' });
		const execution = await n8n.execution(executions[0].id);
		expect(nodeOutput(execution, workflow.triggerName)).toEqual([payload]);
		// The test webhook serves a single delivery.
		expect((await deliver(n8n.testUrl(workflow.webhookId), body)).status).toBe(404);
		// The production URL of an inactive workflow is not registered either.
		expect((await deliver(n8n.productionUrl(workflow.webhookId), body)).status).toBe(404);
	});

	test('workflows imported with the CLI are live after a restart on the same user folder', async () => {
		await n8n.stop();
		const [imported] = await n8n.importCredentials([
			{ name: 'Sitemark e2e (imported)', type: CREDENTIAL_TYPE, data: { webhookSecret: SECRET } },
		]);
		const built = triggerWorkflow({
			node: SITEMARK.nodeName,
			triggerName: SITEMARK.displayName,
			credentialType: CREDENTIAL_TYPE,
			credential: { id: imported.id, name: imported.name },
			parameters: { events: ['job.completed'], options: {} },
		});
		const [workflow] = await n8n.importWorkflows([built.workflow]);
		await n8n.start();

		const payload = jobCompleted('job_after_restart');
		const response = await deliver(n8n.productionUrl(built.webhookId), JSON.stringify(payload));

		expect(response.status).toBe(200);
		const executions = await n8n.waitForExecutions(workflow.id, 1);
		expect(executions).toHaveLength(1);
		expect(nodeOutput(await n8n.execution(executions[0].id), built.triggerName)).toEqual([payload]);
	}, 10 * 60_000);
});
