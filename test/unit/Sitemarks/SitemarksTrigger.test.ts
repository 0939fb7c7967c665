import { SitemarksWebhookApi } from '../../../credentials/SitemarksWebhookApi.credentials';
import { SitemarksTrigger } from '../../../nodes/Sitemarks/SitemarksTrigger.node';
import { deliver, fixture, hmacHex, type DeliveryOutcome, type DeliverySetup } from '../helpers/webhookContext';
import { ACK, expectIgnored, expectMalformed, expectRefused, hookContext } from '../helpers/expectations';

const SECRET = 'whsec_sitemarks_test_4b7d1e9a';
const PREVIOUS_SECRET = 'whsec_sitemarks_old_0c3f5a82';
const SIGNATURE = 'x-webhook-signature';
const EVENT = 'x-webhook-event';

const node = new SitemarksTrigger();
const events = [
	'annotation.created',
	'annotation.resolved',
	'comment.created',
	'comment.updated',
	'markup.status_changed',
	'markup.deleted',
] as const;
type EventName = (typeof events)[number];

/** The payload fields Sitemarks' documentation lists for each event. */
const DOCUMENTED_FIELDS: Record<EventName, string[]> = {
	'annotation.created': ['annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'userName', 'markupTitle', 'markupType', 'sourceUrl', 'pagePath'],
	'annotation.resolved': ['annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'userName', 'markupTitle'],
	'comment.created': ['commentId', 'annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'userName', 'body', 'markupTitle'],
	'comment.updated': ['commentId', 'annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'body'],
	'markup.status_changed': ['markupId', 'projectId', 'orgId', 'status', 'userId', 'userName', 'markupTitle'],
	'markup.deleted': ['markupId', 'projectId', 'orgId', 'userId'],
};

const commentCreated = fixture('sitemarks', 'comment.created.json');

function parsed(body: Buffer | string): Record<string, unknown> {
	return JSON.parse(body.toString()) as Record<string, unknown>;
}

/** Sends `body` as Sitemarks does: hex HMAC of the raw bytes and the event header, unless `overrides` says otherwise. */
function signed(body: Buffer | string, event: string, overrides: Partial<DeliverySetup> = {}): Promise<DeliveryOutcome> {
	return deliver(node, {
		body,
		headers: { 'content-type': 'application/json', [SIGNATURE]: hmacHex(body, SECRET), [EVENT]: event },
		credentials: { webhookSecret: SECRET },
		...overrides,
	});
}




describe('the Sitemarks fixtures', () => {
	it('comment.created is the documented example, byte for byte in content', () => {
		expect(parsed(commentCreated)).toEqual({
			event: 'comment.created',
			payload: {
				commentId: 'cm1abc2def3gh',
				annotationId: 'cm4ijk5lmn6op',
				markupId: 'cm7qrs8tuv9wx',
				projectId: 'cm0yza1bcd2ef',
				orgId: 'cm3ghi4jkl5mn',
				userId: 'cm6opq7rst8uv',
				userName: 'Alice Chen',
				body: 'The logo needs more padding on the left.',
				markupTitle: 'Homepage v2',
			},
			timestamp: '2026-03-22T14:30:00.000Z',
		});
	});

	it.each(events)('%s is an envelope {event, payload, timestamp} with exactly the documented payload fields', (event) => {
		const body = parsed(fixture('sitemarks', `${event}.json`));
		expect(Object.keys(body).sort()).toEqual(['event', 'payload', 'timestamp']);
		expect(body.event).toBe(event);
		expect(Object.keys(body.payload as object).sort()).toEqual([...DOCUMENTED_FIELDS[event]].sort());
		expect(Object.values(body.payload as object).every((value) => typeof value === 'string' && value !== '')).toBe(true);
		expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
	});
});

describe('SitemarksTrigger description', () => {
	it('offers the six documented events, all selected by default', () => {
		const property = node.description.properties.find((p) => p.name === 'events');
		const values = property?.options?.map((o) => ('value' in o ? o.value : undefined));
		expect(values).toHaveLength(6);
		expect([...(values ?? [])].sort()).toEqual([...events].sort());
		expect([...(property?.default as string[])].sort()).toEqual([...events].sort());
	});

	it('names a credential test that the node provides', () => {
		const testedBy = node.description.credentials?.[0].testedBy;
		expect(testedBy).toBe('checkSigningCredential');
		expect(typeof node.methods.credentialTest[testedBy as 'checkSigningCredential']).toBe('function');
	});

	it('declares one POST webhook answered on receipt and a required credential', () => {
		expect(node.description.webhooks).toEqual([
			expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }),
		]);
		expect(node.description.credentials).toEqual([
			expect.objectContaining({ name: 'sitemarksWebhookApi', required: true }),
		]);
		expect(new SitemarksWebhookApi().name).toBe('sitemarksWebhookApi');
	});

	it('offers the Include Headers option, off by default', () => {
		const options = node.description.properties.find((p) => p.name === 'options');
		const includeHeaders = options?.options?.find((o) => 'name' in o && o.name === 'includeHeaders');
		expect(includeHeaders).toEqual(expect.objectContaining({ type: 'boolean', default: false }));
	});

	it('has a credential with a secret and a previous secret, both passwords', () => {
		const properties = new SitemarksWebhookApi().properties;
		expect(properties.map((p) => p.name)).toEqual(['webhookSecret', 'previousWebhookSecret']);
		expect(properties.every((p) => p.typeOptions?.password === true)).toBe(true);
	});
});

describe('SitemarksTrigger webhook()', () => {
	describe.each(events)('the documented %s delivery', (event) => {
		const body = fixture('sitemarks', `${event}.json`);

		it('signed as Sitemarks signs it, starts the workflow with one item equal to the parsed body and answers 200', async () => {
			const outcome = await signed(body, event);
			expect(outcome.status).toBe(200);
			expect(outcome.responseBody).toEqual(ACK);
			expect(outcome.result.noWebhookResponse).toBeUndefined();
			expect(outcome.items).toHaveLength(1);
			expect(outcome.items).toEqual([parsed(body)]);
			expect(outcome.items?.[0].event).toBe(event);
			expect(outcome.items?.[0].payload).toEqual(parsed(body).payload);
			expect(outcome.logs.filter((l) => l.level === 'warn')).toEqual([]);
		});

		it('is acknowledged with 200 and starts nothing when its event is not selected', async () => {
			const outcome = await signed(body, event, { parameters: { events: events.filter((e) => e !== event) } });
			expectIgnored(outcome);
			expect(outcome.logs.some((l) => l.message.includes('not selected') && l.message.includes(event))).toBe(true);
		});

		it('without the X-Webhook-Event header, falls back to the event named in the body', async () => {
			const outcome = await signed(body, event, {
				headers: { 'content-type': 'application/json', [SIGNATURE]: hmacHex(body, SECRET) },
			});
			expect(outcome.status).toBe(200);
			expect(outcome.items).toEqual([parsed(body)]);
		});

		it('with an empty X-Webhook-Event header, also falls back to the event named in the body', async () => {
			const outcome = await signed(body, event, {
				headers: { [SIGNATURE]: hmacHex(body, SECRET), 'x-webhook-event': '' },
			});
			expect(outcome.status).toBe(200);
			expect(outcome.items).toEqual([parsed(body)]);
		});

		it('without the X-Webhook-Event header and with the body\'s event unselected, starts nothing', async () => {
			const outcome = await signed(body, event, {
				headers: { [SIGNATURE]: hmacHex(body, SECRET) },
				parameters: { events: events.filter((e) => e !== event) },
			});
			expectIgnored(outcome);
		});
	});

	it('starts nothing when no event is selected at all', async () => {
		expectIgnored(await signed(commentCreated, 'comment.created', { parameters: { events: [] } }));
	});

	it('does not parse the body when X-Webhook-Event names an unselected event (verified invalid JSON still gets 200)', async () => {
		const notJson = '{"event": "markup.deleted", "payload": {';
		const outcome = await signed(notJson, 'markup.deleted', {
			parameters: { events: events.filter((e) => e !== 'markup.deleted') },
		});
		expectIgnored(outcome);
		expect(outcome.logs.filter((l) => l.level === 'warn')).toEqual([]);
	});

	it('the same invalid JSON with a selected event header is refused with 400 (so the 200 above came from not parsing)', async () => {
		const notJson = '{"event": "markup.deleted", "payload": {';
		const outcome = await signed(notJson, 'markup.deleted');
		expectMalformed(outcome);
		expect(outcome.logs.some((l) => l.level === 'warn' && l.message.includes('not an object'))).toBe(true);
	});

	it('refuses with 400 a verified delivery whose header and body name different (selected) events', async () => {
		const outcome = await signed(commentCreated, 'comment.updated');
		expectMalformed(outcome);
		expect(outcome.logs.some((l) => l.level === 'warn' && l.message.includes('different events'))).toBe(true);
	});

	it('refuses with 400 a header/body disagreement even when only the body\'s event is selected', async () => {
		const outcome = await signed(commentCreated, 'annotation.created', {
			parameters: { events: ['annotation.created'] },
		});
		expectMalformed(outcome);
	});

	it('acknowledges a verified unknown event without starting anything', async () => {
		const body = '{"event":"markup.archived","payload":{"markupId":"cm7qrs8tuv9wx"},"timestamp":"2026-03-24T11:02:33.000Z"}';
		expectIgnored(await signed(body, 'markup.archived'));
		expectIgnored(await signed(body, 'markup.archived', { headers: { [SIGNATURE]: hmacHex(body, SECRET) } }));
	});

	describe.each([
		['invalid JSON', '{"event": "comment.created",'],
		['a JSON array', '[{"event":"comment.created"}]'],
		['null', 'null'],
		['an object without event', '{"payload":{},"timestamp":"2026-03-22T14:30:00.000Z"}'],
		['an object whose event is a number', '{"event":42,"payload":{}}'],
		['an empty body', ''],
	])('a verified body that is %s', (_name, text) => {
		it('gets 400 and starts nothing', async () => {
			expectMalformed(await signed(text, 'comment.created'));
		});
	});

	describe('refuses with 401, starts nothing and logs why', () => {
		const body = commentCreated;
		const good = hmacHex(body, SECRET);
		const tampered = Buffer.from(body.toString('utf8').replace('padding on the left', 'padding on the right'));

		it.each<[string, Partial<DeliverySetup>, string]>([
			['a signature made with another secret', { headers: { [SIGNATURE]: hmacHex(body, 'not-the-secret'), [EVENT]: 'comment.created' } }, 'does not match'],
			['a tampered body', { body: tampered }, 'does not match'],
			['a re-serialised body (whitespace changed)', { body: JSON.stringify(parsed(body)) }, 'does not match'],
			['no signature header', { headers: { [EVENT]: 'comment.created' } }, 'is missing'],
			['an empty signature header', { headers: { [SIGNATURE]: '', [EVENT]: 'comment.created' } }, 'is missing'],
			['a repeated signature header', { headers: { [SIGNATURE]: [good, good], [EVENT]: 'comment.created' } }, 'more than once'],
			['a signature header joined by Node.js', { headers: { [SIGNATURE]: `${good}, ${good}`, [EVENT]: 'comment.created' } }, 'more than once'],
			['a truncated signature', { headers: { [SIGNATURE]: good.slice(0, 63), [EVENT]: 'comment.created' } }, 'expected format'],
			['a signature with non-hex characters', { headers: { [SIGNATURE]: `${good.slice(0, 63)}z`, [EVENT]: 'comment.created' } }, 'expected format'],
			['a base64 signature', { headers: { [SIGNATURE]: Buffer.from(good, 'hex').toString('base64'), [EVENT]: 'comment.created' } }, 'expected format'],
			['a sha256=-prefixed signature, which Sitemarks does not send', { headers: { [SIGNATURE]: `sha256=${good}`, [EVENT]: 'comment.created' } }, 'expected format'],
			['no secret in the credential', { credentials: { webhookSecret: '' } }, 'no signing secret'],
			['a credential with no secret field', { credentials: {} }, 'no signing secret'],
			['no credential at all', { credentials: null }, 'no signing secret'],
			['no raw body', { withoutRawBody: true }, 'raw request body'],
		])('%s', async (_name, overrides, reason) => {
			const outcome = await signed(body, 'comment.created', overrides);
			expectRefused(outcome, 401, 'Sitemarks', reason);
		});

		it('accepts the untouched body with the correct signature (the cases above differ only in what they break)', async () => {
			const outcome = await signed(body, 'comment.created');
			expect(outcome.status).toBe(200);
			expect(outcome.items).toHaveLength(1);
		});

		it('an upper-case hex signature is the same digest and is accepted', async () => {
			const outcome = await signed(body, 'comment.created', {
				headers: { [SIGNATURE]: good.toUpperCase(), [EVENT]: 'comment.created' },
			});
			expect(outcome.status).toBe(200);
			expect(outcome.items).toHaveLength(1);
		});

		it('a forged delivery whose X-Webhook-Event names an unselected event is refused with 401, not acknowledged', async () => {
			const outcome = await signed(body, 'comment.created', {
				headers: { [SIGNATURE]: hmacHex(body, 'forger'), [EVENT]: 'comment.created' },
				parameters: { events: ['markup.deleted'] },
			});
			expectRefused(outcome, 401, 'Sitemarks', 'does not match');
		});

		it('an unsigned delivery whose X-Webhook-Event names an unselected event is refused with 401', async () => {
			const outcome = await signed('{"event": "markup.deleted", "payload": {', 'markup.deleted', {
				headers: { [EVENT]: 'markup.deleted' },
				parameters: { events: ['comment.created'] },
			});
			expectRefused(outcome, 401, 'Sitemarks', 'is missing');
		});

		it('ignores acceptUnsignedDeliveries: Sitemarks always signs, so an unsigned delivery without a secret is refused', async () => {
			const outcome = await signed(body, 'comment.created', {
				headers: { [EVENT]: 'comment.created' },
				credentials: null,
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectRefused(outcome, 401, 'Sitemarks', 'no signing secret');
		});

		it('never puts the secret or the expected digest in a log line or the response', async () => {
			const outcomes = await Promise.all([
				signed(tampered, 'comment.created', { headers: { [SIGNATURE]: good, [EVENT]: 'comment.created' } }),
				signed(body, 'comment.created', { headers: { [SIGNATURE]: hmacHex(body, 'x'), [EVENT]: 'comment.created' } }),
				signed(body, 'comment.created', {
					credentials: { webhookSecret: SECRET, previousWebhookSecret: PREVIOUS_SECRET },
					headers: { [SIGNATURE]: hmacHex(body, PREVIOUS_SECRET), [EVENT]: 'comment.created' },
				}),
			]);
			expect(outcomes.map((o) => o.status)).toEqual([401, 401, 200]);
			const written = JSON.stringify(outcomes.map((o) => [o.logs, o.responseBody]));
			expect(written).not.toContain(SECRET);
			expect(written).not.toContain(PREVIOUS_SECRET);
			expect(written).not.toContain(hmacHex(tampered, SECRET));
			expect(written).not.toContain(good);
		});
	});

	describe('secret rotation', () => {
		const body = fixture('sitemarks', 'annotation.resolved.json');

		it('accepts a delivery signed with the previous secret and logs that rotation is unfinished', async () => {
			const outcome = await signed(body, 'annotation.resolved', {
				headers: { [SIGNATURE]: hmacHex(body, PREVIOUS_SECRET), [EVENT]: 'annotation.resolved' },
				credentials: { webhookSecret: SECRET, previousWebhookSecret: PREVIOUS_SECRET },
			});
			expect(outcome.status).toBe(200);
			expect(outcome.items).toEqual([parsed(body)]);
			expect(outcome.logs.some((l) => l.level === 'info' && l.message.includes('previous secret'))).toBe(true);
		});

		it('accepts the new secret during rotation without the rotation log', async () => {
			const outcome = await signed(body, 'annotation.resolved', {
				credentials: { webhookSecret: SECRET, previousWebhookSecret: PREVIOUS_SECRET },
			});
			expect(outcome.status).toBe(200);
			expect(outcome.items).toHaveLength(1);
			expect(outcome.logs.some((l) => l.message.includes('previous secret'))).toBe(false);
		});

		it('refuses the previous secret once it is cleared from the credential', async () => {
			const outcome = await signed(body, 'annotation.resolved', {
				headers: { [SIGNATURE]: hmacHex(body, PREVIOUS_SECRET), [EVENT]: 'annotation.resolved' },
				credentials: { webhookSecret: SECRET, previousWebhookSecret: '' },
			});
			expectRefused(outcome, 401, 'Sitemarks', 'does not match');
		});
	});

	describe('the Include Headers option', () => {
		const body = fixture('sitemarks', 'markup.status_changed.json');

		it('adds the request headers, keeping X-Webhook-Event and leaving out X-Webhook-Signature', async () => {
			const outcome = await signed(body, 'markup.status_changed', {
				headers: {
					'Content-Type': 'application/json',
					'X-Webhook-Event': 'markup.status_changed',
					'X-Webhook-Signature': hmacHex(body, SECRET),
				},
				parameters: { options: { includeHeaders: true } },
			});
			expect(outcome.status).toBe(200);
			expect(outcome.items?.[0].headers).toEqual({
				'content-type': 'application/json',
				'x-webhook-event': 'markup.status_changed',
			});
			expect(JSON.stringify(outcome.items)).not.toContain(hmacHex(body, SECRET));
			expect(outcome.items?.[0]).toEqual({ ...parsed(body), headers: expect.any(Object) });
		});

		it('leaves headers out by default', async () => {
			const outcome = await signed(body, 'markup.status_changed');
			expect(outcome.items?.[0]).not.toHaveProperty('headers');
		});
	});
});

describe('SitemarksTrigger activation (webhookMethods.default)', () => {
	const hooks = node.webhookMethods.default;

	it('activates with a secret', async () => {
		await expect(hooks.create.call(hookContext({ webhookSecret: SECRET }))).resolves.toBe(true);
	});

	it('refuses to activate without a secret or a credential, even if asked to accept unsigned deliveries', async () => {
		await expect(hooks.create.call(hookContext({ webhookSecret: '' }))).rejects.toThrow('Sitemarks credential has no signing secret');
		await expect(hooks.create.call(hookContext(null))).rejects.toThrow('Select a Sitemarks credential');
		await expect(hooks.create.call(hookContext(null, { acceptUnsignedDeliveries: true }))).rejects.toThrow();
	});
});
