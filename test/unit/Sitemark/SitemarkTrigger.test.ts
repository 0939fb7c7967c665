import { SitemarkTrigger } from '../../../nodes/Sitemark/SitemarkTrigger.node';
import { deliver, fixture, hmacHex, type DeliveryOutcome, type DeliverySetup } from '../helpers/webhookContext';

const SECRET = 'sitemark-test-secret';
const PREVIOUS_SECRET = 'sitemark-old-secret';
const node = new SitemarkTrigger();
const events = ['job.completed', 'shot.logged', 'report.generated'] as const;

function signed(body: Buffer | string, overrides: Partial<DeliverySetup> = {}): Promise<DeliveryOutcome> {
	return deliver(node, {
		body,
		headers: { 'content-type': 'application/json', 'x-sitemark-signature': hmacHex(body, SECRET) },
		credentials: { webhookSecret: SECRET },
		...overrides,
	});
}

describe('SitemarkTrigger description', () => {
	it('offers every documented event, all selected by default', () => {
		const property = node.description.properties.find((p) => p.name === 'events');
		expect(property?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual([...events]);
		expect(property?.default).toEqual([...events]);
	});

	it('declares one POST webhook answered on receipt and its credential', () => {
		expect(node.description.webhooks).toEqual([
			expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }),
		]);
		expect(node.description.credentials).toEqual([expect.objectContaining({ name: 'sitemarkWebhookApi', required: true })]);
	});
});

describe('SitemarkTrigger webhook()', () => {
	describe.each(events)('the documented %s payload', (event) => {
		const body = fixture('sitemark', `${event}.json`);

		it('starts the workflow with the envelope as sent and answers 200 with an acknowledgement', async () => {
			const outcome = await signed(body);
			expect(outcome.status).toBe(200);
			expect(outcome.responseBody).toEqual({ received: true });
			expect(outcome.items).toEqual([JSON.parse(body.toString('utf8'))]);
			expect(outcome.items?.[0].event).toBe(event);
			expect(outcome.result.noWebhookResponse).toBeUndefined();
		});

		it('starts nothing but answers 200 when the event is not selected', async () => {
			const outcome = await signed(body, { parameters: { events: events.filter((e) => e !== event) } });
			expect(outcome.status).toBe(200);
			expect(outcome.items).toBeUndefined();
			expect(outcome.logs.some((l) => l.message.includes('not selected'))).toBe(true);
		});
	});

	it('keeps numbers as numbers, from the exact bytes sent (312.50 is the number 312.5)', async () => {
		const outcome = await signed(fixture('sitemark', 'shot.logged.json'));
		const data = outcome.items?.[0].data as Record<string, unknown>;
		expect(data.design_grade).toBe(312.5);
		expect(data.delta).toBe(-0.03);
		expect(data.pass).toBe(true);
		expect(data.offset).toBe('0.0');
	});

	it('accepts a delivery signed with the previous secret during rotation and logs it', async () => {
		const body = fixture('sitemark', 'job.completed.json');
		const outcome = await deliver(node, {
			body,
			headers: { 'x-sitemark-signature': hmacHex(body, PREVIOUS_SECRET) },
			credentials: { webhookSecret: SECRET, previousWebhookSecret: PREVIOUS_SECRET },
		});
		expect(outcome.status).toBe(200);
		expect(outcome.items).toHaveLength(1);
		expect(outcome.logs.some((l) => l.message.includes('previous secret'))).toBe(true);
	});

	describe('refuses with 400 and starts nothing', () => {
		const body = fixture('sitemark', 'job.completed.json');
		const good = hmacHex(body, SECRET);
		const tamperedBody = Buffer.from(body.toString('utf8').replace('"shot_count": 42', '"shot_count": 43'));

		it.each<[string, Partial<DeliverySetup>, string]>([
			['a signature made with another secret', { headers: { 'x-sitemark-signature': hmacHex(body, 'wrong') } }, 'does not match'],
			['a tampered body', { body: tamperedBody }, 'does not match'],
			['no signature header', { headers: {} }, 'is missing'],
			['an empty signature header', { headers: { 'x-sitemark-signature': '' } }, 'is missing'],
			['a truncated signature', { headers: { 'x-sitemark-signature': good.slice(0, 63) } }, 'expected format'],
			['a prefixed signature', { headers: { 'x-sitemark-signature': `sha256=${good}` } }, 'expected format'],
			['a base64 signature', { headers: { 'x-sitemark-signature': Buffer.from(good, 'hex').toString('base64') } }, 'expected format'],
			['a repeated signature header', { headers: { 'x-sitemark-signature': [good, good] } }, 'more than once'],
			['no secret in the credential', { credentials: { webhookSecret: '' } }, 'no signing secret'],
			['no credential at all', { credentials: null }, 'no signing secret'],
			['no raw body', { withoutRawBody: true }, 'raw request body'],
		])('%s', async (_name, overrides, reason) => {
			const outcome = await signed(body, overrides);
			expect(outcome.status).toBe(400);
			expect(outcome.items).toBeUndefined();
			expect(outcome.result.workflowData).toBeUndefined();
			expect(outcome.responseBody).toEqual({ error: 'Webhook delivery rejected' });
			const warning = outcome.logs.find((l) => l.level === 'warn');
			expect(warning?.message).toContain(reason);
		});

		it('never puts the secret or the expected digest in a log line or the response', async () => {
			const outcome = await signed(tamperedBody, { headers: { 'x-sitemark-signature': good } });
			const expected = hmacHex(tamperedBody, SECRET);
			const written = JSON.stringify([outcome.logs, outcome.responseBody]);
			expect(outcome.status).toBe(400);
			expect(written).not.toContain(SECRET);
			expect(written).not.toContain(expected);
		});
	});

	describe('a verified body that is not a Sitemark envelope gets 400 and starts nothing', () => {
		it.each([
			['invalid JSON', '{"event": "job.completed",'],
			['a JSON array', '[{"event":"job.completed"}]'],
			['a JSON string', '"job.completed"'],
			['null', 'null'],
			['an object without event', '{"created_at":"2026-05-28T18:32:00Z","data":{}}'],
			['an object whose event is a number', '{"event":42,"data":{}}'],
			['an empty body', ''],
		])('%s', async (_name, text) => {
			const outcome = await signed(text);
			expect(outcome.status).toBe(400);
			expect(outcome.items).toBeUndefined();
			expect(outcome.responseBody).toEqual({ error: 'Webhook payload not understood' });
		});
	});

	it('acknowledges a verified unknown event without starting anything', async () => {
		const outcome = await signed('{"event":"job.archived","created_at":"2026-05-28T18:32:00Z","data":{}}');
		expect(outcome.status).toBe(200);
		expect(outcome.items).toBeUndefined();
	});

	describe('the Include Headers option', () => {
		const body = fixture('sitemark', 'report.generated.json');

		it('adds the request headers without the signature header', async () => {
			const outcome = await signed(body, {
				headers: {
					'Content-Type': 'application/json',
					'User-Agent': 'Sitemark-Webhooks',
					'X-Sitemark-Signature': hmacHex(body, SECRET),
				},
				parameters: { options: { includeHeaders: true } },
			});
			expect(outcome.status).toBe(200);
			expect(outcome.items?.[0].headers).toEqual({
				'content-type': 'application/json',
				'user-agent': 'Sitemark-Webhooks',
			});
		});

		it('leaves headers out by default', async () => {
			const outcome = await signed(body);
			expect(outcome.items?.[0]).not.toHaveProperty('headers');
		});
	});
});
