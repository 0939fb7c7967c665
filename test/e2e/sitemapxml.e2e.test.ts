/**
 * Sitemap.xml Trigger on a real n8n: the five documented events as JSON and as XML, signed as
 * Sitemap.xml signs them (`sha256=` + hex HMAC-SHA256 of the raw body in X-Sitemap-Signature, the
 * event in X-Sitemap-Event), refusals, secret rotation, and duplicate ids dropped across an n8n
 * restart (the one restart of this suite, at its end). N8N_LINE=2 (default) or 1 picks the n8n line.
 */
import {
	ACKNOWLEDGED,
	expectIgnored,
	expectNoNewExecution,
	expectRefused,
	expectStarted,
	fixtureText,
	NOT_UNDERSTOOD,
	oneNewExecution,
	post,
	triggerSuite,
	type CredentialRef,
	type Deployed,
} from './harness/deliveries';
import { lineFromEnv, nodeOutput, type N8n } from '../../scripts/n8n/n8n';
import { allEvents } from '../support/deliveries';
import { provider } from '../support/providers';
import { signatureFor } from '../support/signer';

const line = lineFromEnv();
const SITEMAPXML = provider('sitemapxml');
const SECRET = 'sitemapxml-e2e-signing-secret-c04f';
const NEW_SECRET = 'sitemapxml-e2e-rotated-secret-NEW-81d3';
const OLD_SECRET = 'sitemapxml-e2e-rotated-secret-OLD-2a77';
const EVENTS = allEvents(SITEMAPXML);

/** As Sitemap.xml signs: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
function sign(body: string, secret = SECRET): string {
	return signatureFor(secret, body, { encoding: 'hex', prefix: 'sha256=' });
}

const jsonSample = (event: string) => fixtureText('sitemapxml', `${event}.json`);
const xmlSample = (event: string) => fixtureText('sitemapxml', `${event}.xml`);

/** The item a JSON body should give: the body without its own `signature` field. */
function expectedItem(jsonBody: string): Record<string, unknown> {
	const { signature: _signature, ...rest } = JSON.parse(jsonBody) as Record<string, unknown>;
	return rest;
}

/** The documented sitemap.generated delivery (JSON), with another id. */
function generatedWithId(id: string): string {
	const body = jsonSample('sitemap.generated');
	expect(body).toContain('"id": "whk_2x9k4m8p1q7r3v5z"');
	return body.replace('whk_2x9k4m8p1q7r3v5z', id);
}

describe(`Sitemap.xml Trigger on n8n line ${line}`, () => {
	const suite = triggerSuite(SITEMAPXML, { webhookSecret: SECRET });
	let n8n: N8n;
	let rotating: CredentialRef;
	let jsonWorkflow: Deployed;
	let xmlWorkflow: Deployed;
	let guarded: Deployed;

	const deploy = (parameters: Record<string, unknown> = {}, credential?: CredentialRef) =>
		suite.deploy({ events: [...EVENTS], ...parameters }, { credential });

	function deliver(url: string, body: string, { signature, event }: { signature?: string | null; event?: string } = {}) {
		const isXml = body.trimStart().startsWith('<');
		const named = event ?? /<event>([^<]*)<\/event>|"event":\s*"([^"]*)"/.exec(body)?.slice(1).find(Boolean);
		return post(n8n, url, body, {
			'content-type': isXml ? 'application/xml' : 'application/json',
			'X-Sitemap-Event': named,
			'X-Sitemap-Signature': signature === undefined ? sign(body) : signature,
		});
	}

	beforeAll(async () => {
		n8n = suite.n8n;
		rotating = await n8n.createCredential({
			name: 'Sitemap.xml e2e (rotating)',
			type: SITEMAPXML.credentialType,
			data: { webhookSecret: NEW_SECRET, previousWebhookSecret: OLD_SECRET },
		});
		// The JSON and XML samples of an event share its id: each form goes to its own workflow,
		// so that neither is dropped as a duplicate of the other.
		jsonWorkflow = await deploy();
		xmlWorkflow = await deploy();
		guarded = await deploy();
	}, 10 * 60_000);

	test.each(EVENTS)('%s as JSON and as XML: 200, one execution each, the same item without "signature"', async (event) => {
		const json = jsonSample(event);
		const xml = xmlSample(event);
		const jsonBefore = await n8n.executions(jsonWorkflow.id);
		const xmlBefore = await n8n.executions(xmlWorkflow.id);

		const jsonResponse = await deliver(n8n.productionUrl(jsonWorkflow.webhookId), json);
		const xmlResponse = await deliver(n8n.productionUrl(xmlWorkflow.webhookId), xml);

		const [jsonItem] = nodeOutput(await expectStarted(n8n, jsonWorkflow, jsonBefore, jsonResponse), jsonWorkflow.triggerName);
		const [xmlItem] = nodeOutput(await expectStarted(n8n, xmlWorkflow, xmlBefore, xmlResponse), xmlWorkflow.triggerName);
		expect(jsonItem).toStrictEqual(expectedItem(json));
		expect(xmlItem).toStrictEqual(jsonItem);
		expect(jsonItem).not.toHaveProperty('signature');
		expect(xmlItem).not.toHaveProperty('signature');
	});

	test('the ten deliveries made exactly five executions per workflow', async () => {
		expect(await n8n.executionsAfterSettling(jsonWorkflow.id)).toHaveLength(EVENTS.length);
		expect(await n8n.executions(xmlWorkflow.id)).toHaveLength(EVENTS.length);
	});

	test.each([
		['signed with another secret', (body: string) => ({ body, signature: sign(body, 'not-the-secret') })],
		['with a body changed after signing', (body: string) => ({ body: body.replace('1247', '9999'), signature: sign(body) })],
		['without a signature header', (body: string) => ({ body, signature: null })],
		['with a bare hex signature (no sha256= prefix)', (body: string) => ({ body, signature: sign(body).slice('sha256='.length) })],
	])('a JSON delivery %s answers 401 and starts nothing', async (_label, forge) => {
		const { body, signature } = forge(generatedWithId('whk_forged_json'));
		const before = await n8n.executions(guarded.id);
		await expectRefused(n8n, guarded, before, await deliver(n8n.productionUrl(guarded.webhookId), body, { signature }), 401);
	});

	test('an XML delivery signed with another secret answers 401 and starts nothing', async () => {
		const body = xmlSample('quota.warning');

		const response = await deliver(n8n.productionUrl(guarded.webhookId), body, { signature: sign(body, 'not-the-secret') });

		await expectRefused(n8n, guarded, [], response, 401);
	});

	test('malformed XML, correctly signed, starts nothing: the trigger answers 400, or n8n 422 when it parses XML itself', async () => {
		const body = xmlSample('sitemap.generated').replace('</data>', '</dat>');
		const url = n8n.productionUrl(guarded.webhookId);

		// Under a content type n8n leaves unparsed, the body reaches the trigger, which verifies the
		// signature, then fails to read the XML.
		for (const contentType of ['text/plain', 'application/octet-stream']) {
			const response = await post(n8n, url, body, {
				'content-type': contentType,
				'X-Sitemap-Event': 'sitemap.generated',
				'X-Sitemap-Signature': sign(body),
			});
			expect({ contentType, status: response.status, json: response.json }).toEqual({
				contentType,
				status: 400,
				json: NOT_UNDERSTOOD,
			});
		}
		// Under an XML content type (what deliver() sends for XML), n8n's own body parser refuses the
		// request with 422 before the trigger runs: README's "refused with 400" does not hold there.
		const asXml = await deliver(url, body);
		expect(asXml.status).toBe(422);
		expect(asXml.text).toContain('Failed to parse request body');
		await expectNoNewExecution(n8n, guarded.id, []);
	});

	test('secret rotation: deliveries signed with the new or the previous secret start executions, a third secret is refused', async () => {
		const workflow = await deploy({}, rotating);
		const url = n8n.productionUrl(workflow.webhookId);
		const withNew = generatedWithId('whk_rotation_new');
		const withOld = generatedWithId('whk_rotation_old');
		const withThird = generatedWithId('whk_rotation_third');

		expect((await deliver(url, withNew, { signature: sign(withNew, NEW_SECRET) })).status).toBe(200);
		const first = await oneNewExecution(n8n, workflow.id, []);
		expect(nodeOutput(first, workflow.triggerName)).toEqual([expectedItem(withNew)]);

		const afterNew = await n8n.executions(workflow.id);
		expect((await deliver(url, withOld, { signature: sign(withOld, OLD_SECRET) })).status).toBe(200);
		const second = await oneNewExecution(n8n, workflow.id, afterNew);
		expect(nodeOutput(second, workflow.triggerName)).toEqual([expectedItem(withOld)]);

		expect(n8n.logs(4000)).toContain('verified a delivery with the previous secret');
		const before = await n8n.executions(workflow.id);
		expect(before).toHaveLength(2);
		await expectRefused(n8n, workflow, before, await deliver(url, withThird, { signature: sign(withThird, SECRET) }), 401);
	});

	test('ids accepted one after another are dropped, also after n8n restarts on the same user folder; a new id still starts', async () => {
		const workflow = await deploy();
		const url = () => n8n.productionUrl(workflow.webhookId);
		const original = generatedWithId('whk_restart_0001');
		// Each id after the first is the case n8n 2.x saved only when the trigger wrote it again.
		const later = ['whk_restart_0002', 'whk_restart_0003', 'whk_restart_0004'].map(generatedWithId);

		expect((await deliver(url(), original)).status).toBe(200);
		const first = await oneNewExecution(n8n, workflow.id, []);
		expect(nodeOutput(first, workflow.triggerName)).toEqual([expectedItem(original)]);
		// A retry before the restart: acknowledged, dropped.
		await expectIgnored(n8n, workflow, await n8n.executions(workflow.id), await deliver(url(), original));
		expect(await n8n.executions(workflow.id)).toHaveLength(1);
		// Then more ids, one after another, and no retry of them before the restart: nothing but
		// their own deliveries can have saved them.
		let accepted = await n8n.executions(workflow.id);
		for (const delivery of later) {
			expect((await deliver(url(), delivery)).status).toBe(200);
			const execution = await oneNewExecution(n8n, workflow.id, accepted);
			expect(nodeOutput(execution, workflow.triggerName)).toEqual([expectedItem(delivery)]);
			accepted = await n8n.executions(workflow.id);
		}
		const before = await n8n.executionsAfterSettling(workflow.id);
		expect(before).toHaveLength(4);

		await n8n.restart();
		await n8n.waitUntilLive(workflow.id);

		// Every accepted delivery again, byte for byte, and the first id as XML: acknowledged, dropped.
		for (const delivery of [original, ...later]) {
			const afterRestart = await deliver(url(), delivery);
			expect(afterRestart.status).toBe(200);
			expect(afterRestart.json).toEqual(ACKNOWLEDGED);
		}
		const asXml = xmlSample('sitemap.generated').replace('whk_2x9k4m8p1q7r3v5z', 'whk_restart_0001');
		const xmlResponse = await deliver(url(), asXml);
		expect(xmlResponse.status).toBe(200);
		expect(xmlResponse.json).toEqual(ACKNOWLEDGED);
		await expectNoNewExecution(n8n, workflow.id, before);

		// A new id starts an execution.
		const fresh = generatedWithId('whk_restart_0005');
		expect((await deliver(url(), fresh)).status).toBe(200);
		const fifth = await oneNewExecution(n8n, workflow.id, before);
		expect(nodeOutput(fifth, workflow.triggerName)).toEqual([expectedItem(fresh)]);
		expect(await n8n.executionsAfterSettling(workflow.id)).toHaveLength(5);
	}, 5 * 60_000);
});
