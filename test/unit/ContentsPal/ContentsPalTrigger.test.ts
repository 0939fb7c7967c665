import { ContentsPalTrigger } from '../../../nodes/ContentsPal/ContentsPalTrigger.node';
import { hmacSha256, signatureFor } from '../../support/signer';
import { deliver, fixture, type DeliveryOutcome, type DeliverySetup } from '../helpers/webhookContext';
import { ACK, expectIgnored, expectMalformed, expectRefused } from '../helpers/expectations';

/**
 * ContentsPal's own: its documented payloads and signature, unsigned deliveries, Watched Fields
 * and its item. The shared pipeline is tested in shared/deliveryPipeline.
 */

const SECRET = 'cp_signing_secret_7e21b0c4';
const PREVIOUS_SECRET = 'cp_signing_secret_old_39af';
const SIGNATURE = 'x-webhook-signature';
const EVENT = 'x-webhook-event';
const USER_AGENT = 'ContentsPal-Webhook/1.0';

const node = new ContentsPalTrigger();
const events = ['job.created', 'job.updated', 'job.deleted'] as const;

const created = fixture('contentspal', 'job.created.json');
const updated = fixture('contentspal', 'job.updated.json');
const deleted = fixture('contentspal', 'job.deleted.json');

function parsed(body: Buffer | string): Record<string, unknown> {
	return JSON.parse(body.toString()) as Record<string, unknown>;
}

/** The documented job.updated body with some top-level fields replaced (or removed, for `undefined`). */
function updatedWith(changes: Record<string, unknown>): string {
	const body = { ...parsed(updated), ...changes };
	for (const [name, value] of Object.entries(changes)) if (value === undefined) delete body[name];
	return JSON.stringify(body);
}

/** ContentsPal's own signature: `sha256=` and the hex HMAC-SHA256 of the raw body. */
function contentsPalSignature(body: Buffer | string, secret = SECRET): string {
	return signatureFor(secret, body, { prefix: 'sha256=' });
}

function headersFor(event: string, signature: string | undefined): Record<string, string> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'user-agent': USER_AGENT,
		[EVENT]: event,
	};
	if (signature !== undefined) headers[SIGNATURE] = signature;
	return headers;
}

/** The event a body names, for its X-Webhook-Event header; job.created for a body that names none. */
function eventOf(body: Buffer | string): string {
	try {
		const event = (JSON.parse(body.toString()) as { event?: unknown } | null)?.event;
		return typeof event === 'string' ? event : 'job.created';
	} catch {
		return 'job.created';
	}
}

/** Sends `body` as ContentsPal does with a signing secret configured, unless `overrides` says otherwise. */
function signed(body: Buffer | string, overrides: Partial<DeliverySetup> = {}): Promise<DeliveryOutcome> {
	const event = eventOf(body);
	return deliver(node, {
		body,
		headers: headersFor(event, contentsPalSignature(body)),
		credentials: { webhookSecret: SECRET },
		...overrides,
	});
}

/** Sends `body` as ContentsPal does without a signing secret: no signature header. */
function unsigned(body: Buffer | string, overrides: Partial<DeliverySetup> = {}): Promise<DeliveryOutcome> {
	return deliver(node, {
		body,
		headers: headersFor(eventOf(body), undefined),
		credentials: null,
		...overrides,
	});
}

function expectStarted(outcome: DeliveryOutcome, item: Record<string, unknown>): void {
	expect(outcome.status).toBe(200);
	expect(outcome.responseBody).toEqual(ACK);
	expect(outcome.result.noWebhookResponse).toBeUndefined();
	expect(outcome.items).toEqual([item]);
}

describe('the ContentsPal fixtures', () => {
	const job = {
		id: 'job-uuid',
		name: 'Smith Residence - Fire Damage',
		status: 'inventory',
		customer: { name: 'John Smith', email: 'john.smith@example.com', phone: '555-1234' },
		insurance: {
			claimNumber: 'CLM-2026-001',
			company: 'State Farm',
			lossType: 'fire',
			policyNumber: 'POL-123',
			agent: 'Jane Doe',
			phone: '555-5678',
			email: 'jane.doe@example.com',
		},
		ownerUserId: 'user-uuid',
		createdAt: '2026-03-01T10:00:00.000Z',
		updatedAt: '2026-03-03T14:30:00.000Z',
	};

	it('job.updated is the documented payload schema example, with its changes', () => {
		expect(parsed(updated)).toEqual({
			event: 'job.updated',
			timestamp: '2026-03-03T14:30:00.000Z',
			organizationId: 'abc123',
			job,
			changes: [
				{
					field: 'settings.customer',
					oldValue: { name: 'J Smith' },
					newValue: { name: 'John Smith', email: 'john.smith@example.com', phone: '555-1234' },
				},
			],
		});
	});

	it('job.created is the same job without changes', () => {
		expect(parsed(created)).toEqual({ event: 'job.created', timestamp: '2026-03-03T14:30:00.000Z', organizationId: 'abc123', job });
	});

	it('job.deleted is the same job without changes and without its optional fields', () => {
		const body = parsed(deleted);
		expect(body).not.toHaveProperty('changes');
		expect(body.event).toBe('job.deleted');
		const { status: _status, customer: _customer, insurance: _insurance, ...required } = job;
		expect(body.job).toEqual(required);
	});

	it('carry no obfuscated e-mail placeholders', () => {
		for (const body of [created, updated, deleted]) expect(body.toString('utf8')).not.toContain('[email');
	});
});

describe('ContentsPalTrigger description', () => {
	it('offers the three documented events, all selected by default', () => {
		const property = node.description.properties.find((p) => p.name === 'events');
		const values = property?.options?.map((o) => ('value' in o ? o.value : undefined));
		expect([...(values ?? [])].sort()).toEqual([...events].sort());
		expect([...(property?.default as string[])].sort()).toEqual([...events].sort());
	});

	it('offers Watched Fields with the three documented fields, none by default', () => {
		const options = node.description.properties.find((p) => p.name === 'options');
		const watched = options?.options?.find((o) => 'name' in o && o.name === 'watchedFields') as
			| { default?: unknown; options?: Array<{ value: unknown }> }
			| undefined;
		expect(watched?.options?.map((o) => o.value).sort()).toEqual(['jobName', 'settings.customer', 'settings.insurance']);
		expect(watched?.default).toEqual([]);
	});
});

describe('ContentsPalTrigger webhook()', () => {
	describe.each([
		['job.created', created],
		['job.updated', updated],
		['job.deleted', deleted],
	] as const)('the documented %s delivery', (event, body) => {
		it('signed as ContentsPal signs it, starts the workflow with the payload and answers 200', async () => {
			const outcome = await signed(body);
			expectStarted(outcome, parsed(body));
			expect(outcome.items?.[0].event).toBe(event);
			expect(outcome.logs.filter((l) => l.level === 'warn')).toEqual([]);
		});

	});

	describe('optional fields absent', () => {
		it('job.deleted without status, customer and insurance starts the workflow unchanged', async () => {
			const outcome = await signed(deleted);
			expectStarted(outcome, parsed(deleted));
			expect(outcome.items?.[0].job).not.toHaveProperty('customer');
		});

		it('job.created with only the required job fields starts the workflow', async () => {
			const body = JSON.stringify({ ...parsed(created), job: parsed(deleted).job });
			expectStarted(await signed(body), parsed(body));
		});

		it('job.updated without changes starts the workflow when no field is watched', async () => {
			const body = updatedWith({ changes: undefined });
			expectStarted(await signed(body), parsed(body));
		});

		it('job.updated with an empty changes list starts the workflow when no field is watched', async () => {
			const body = updatedWith({ changes: [] });
			expectStarted(await signed(body), parsed(body));
		});
	});

	describe('refuses with 401 a signature in any form ContentsPal does not send', () => {
		const good = hmacSha256(SECRET, created);

		it.each([
			['a bare hex signature without sha256=', good],
			['an upper-case SHA256= prefix', `SHA256=${good}`],
			['a base64 digest behind sha256=', `sha256=${hmacSha256(SECRET, created, 'base64')}`],
		])('%s', async (_name, signature) => {
			const outcome = await signed(created, { headers: { 'X-Webhook-Signature': signature, 'X-Webhook-Event': 'job.created' } });
			expectRefused(outcome, 401, 'ContentsPal', 'expected format');
		});
	});

	describe('unsigned deliveries', () => {
		it('(a) with no credential and acceptUnsignedDeliveries off (the default) are refused with 401', async () => {
			const outcome = await unsigned(created);
			expectRefused(outcome, 401, 'ContentsPal', 'no signing secret');
		});

		it('(a) are refused when acceptUnsignedDeliveries is explicitly false', async () => {
			expectRefused(await unsigned(created, { parameters: { acceptUnsignedDeliveries: false } }), 401, 'ContentsPal', 'no signing secret');
		});

		it('are refused when a selected credential cannot be read, even with acceptUnsignedDeliveries on', async () => {
			const outcome = await unsigned(created, {
				credentials: 'unreadable',
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectRefused(outcome, 401, 'ContentsPal', 'could not be read');
		});

		it('(b) with no credential and acceptUnsignedDeliveries on are accepted', async () => {
			const outcome = await unsigned(created, { parameters: { acceptUnsignedDeliveries: true } });
			expectStarted(outcome, parsed(created));
		});

		it('(b) every event, including job.deleted with optional fields absent, is accepted unsigned', async () => {
			for (const body of [created, updated, deleted]) {
				expectStarted(await unsigned(body, { parameters: { acceptUnsignedDeliveries: true } }), parsed(body));
			}
		});

		it('(b) unsigned copies are recognised by their bytes, never by a signature header nobody verified', async () => {
			const staticData = {};
			const parameters = { acceptUnsignedDeliveries: true };
			const chosen = { [SIGNATURE]: `sha256=${'0'.repeat(64)}` };
			const send = (body: Buffer) =>
				deliver(node, { body, headers: { ...headersFor(eventOf(body), undefined), ...chosen }, credentials: null, parameters, staticData });
			expectStarted(await send(created), parsed(created));
			// Another body under the same unverified header value starts: the header is not the key.
			expectStarted(await send(deleted), parsed(deleted));
			// The same bytes again are a copy.
			expect((await send(created)).items).toBeUndefined();
		});

		it('(b) a credential whose secret is empty counts as no secret', async () => {
			const outcome = await unsigned(created, {
				credentials: { webhookSecret: '' },
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectStarted(outcome, parsed(created));
		});

		it('(c) with a secret in the credential, an unsigned delivery is still refused whatever acceptUnsignedDeliveries says', async () => {
			const outcome = await unsigned(created, {
				credentials: { webhookSecret: SECRET },
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectRefused(outcome, 401, 'ContentsPal', 'is missing');
		});

		it('(c) with a secret in the credential and acceptUnsignedDeliveries on, a forged signature is refused', async () => {
			const outcome = await signed(created, {
				headers: headersFor('job.created', contentsPalSignature(created, 'forger')),
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectRefused(outcome, 401, 'ContentsPal', 'does not match');
		});

		it('(c) with only a previous secret in the credential, an unsigned delivery is still refused', async () => {
			const outcome = await unsigned(created, {
				credentials: { webhookSecret: '', previousWebhookSecret: PREVIOUS_SECRET },
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectRefused(outcome, 401, 'ContentsPal', 'is missing');
		});

		it('(c) a correctly signed delivery is still accepted with acceptUnsignedDeliveries on', async () => {
			expectStarted(await signed(created, { parameters: { acceptUnsignedDeliveries: true } }), parsed(created));
		});

		it('(d) accepted unsigned, a malformed JSON body gets 400 and starts nothing', async () => {
			const outcome = await unsigned('{"event":"job.created","job":', {
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectMalformed(outcome);
		});

		it('(d) accepted unsigned, header and body naming different events gets 400', async () => {
			const outcome = await unsigned(created, {
				headers: headersFor('job.updated', undefined),
				parameters: { acceptUnsignedDeliveries: true },
			});
			expectMalformed(outcome);
		});

		it('accepted unsigned, the watched-fields filter still applies', async () => {
			const outcome = await unsigned(updated, {
				parameters: { acceptUnsignedDeliveries: true, options: { watchedFields: ['jobName'] } },
			});
			expectIgnored(outcome);
		});

		it('accepted unsigned but without the raw body, is answered 400 and starts nothing', async () => {
			const outcome = await unsigned(created, {
				parameters: { acceptUnsignedDeliveries: true },
				withoutRawBody: true,
			});
			expect(outcome.status).toBe(400);
			expect(outcome.items).toBeUndefined();
		});
	});

	describe('watched fields (job.updated)', () => {
		const watching = (watchedFields: unknown): Partial<DeliverySetup> => ({ parameters: { options: { watchedFields } } });

		it('[jobName] with the documented update (settings.customer changed) answers 200 and starts nothing', async () => {
			const outcome = await signed(updated, watching(['jobName']));
			expectIgnored(outcome);
			expect(outcome.logs.some((l) => l.message.includes('none of the watched fields changed'))).toBe(true);
		});

		it('[settings.customer] starts the workflow with the documented update', async () => {
			expectStarted(await signed(updated, watching(['settings.customer'])), parsed(updated));
		});

		it('[jobName, settings.customer] starts the workflow when any watched field changed', async () => {
			expectStarted(await signed(updated, watching(['jobName', 'settings.customer'])), parsed(updated));
		});

		it('[settings.insurance] starts nothing for a customer-only update', async () => {
			expectIgnored(await signed(updated, watching(['settings.insurance'])));
		});

		it('[] starts the workflow for every update', async () => {
			expectStarted(await signed(updated, watching([])), parsed(updated));
		});

		it('a job.updated without changes starts nothing when fields are watched', async () => {
			const body = updatedWith({ changes: undefined });
			expectIgnored(await signed(body, watching(['settings.customer'])));
		});

		it('a job.updated with an empty changes list starts nothing when fields are watched', async () => {
			const body = updatedWith({ changes: [] });
			expectIgnored(await signed(body, watching(['jobName'])));
		});

		it('does not affect job.created or job.deleted, which carry no changes', async () => {
			expectStarted(await signed(created, watching(['jobName'])), parsed(created));
			expectStarted(await signed(deleted, watching(['settings.insurance'])), parsed(deleted));
		});

		it('matches the documented field names exactly (no prefix or case folding)', async () => {
			const body = updatedWith({ changes: [{ field: 'customer', oldValue: null, newValue: {} }] });
			expectIgnored(await signed(body, watching(['settings.customer'])));
			const upper = updatedWith({ changes: [{ field: 'JobName', oldValue: 'a', newValue: 'b' }] });
			expectIgnored(await signed(upper, watching(['jobName'])));
		});

		it('finds a watched field among several changes', async () => {
			const body = updatedWith({
				changes: [
					{ field: 'settings.customer', oldValue: { name: 'J Smith' }, newValue: { name: 'John Smith' } },
					{ field: 'jobName', oldValue: 'Smith Residence', newValue: 'Smith Residence - Fire Damage' },
				],
			});
			expectStarted(await signed(body, watching(['jobName'])), parsed(body));
		});

		describe.each<[string, unknown, 'started' | 'ignored']>([
			['null and number entries besides a watched one', [null, 42, { field: 'jobName', oldValue: 'a', newValue: 'b' }], 'started'],
			['only null and number entries', [null, 42, 'jobName'], 'ignored'],
			['objects without field', [{}, { oldValue: 1, newValue: 2 }], 'ignored'],
			['a field that is not a string', [{ field: 42 }, { field: null }, { field: ['jobName'] }, { field: { name: 'jobName' } }], 'ignored'],
			['nested arrays', [['jobName'], []], 'ignored'],
			['changes that is an object, not a list', { field: 'jobName', oldValue: 'a', newValue: 'b' }, 'ignored'],
			['changes that is a string', 'jobName', 'ignored'],
			['changes that is null', null, 'ignored'],
			['changes that is a number', 7, 'ignored'],
		])('malformed changes: %s', (_name, changes, expected) => {
			it(`does not throw and is ${expected}`, async () => {
				const body = updatedWith({ changes });
				const outcome = await signed(body, watching(['jobName']));
				if (expected === 'started') expectStarted(outcome, parsed(body));
				else expectIgnored(outcome);
			});

			it('starts the workflow when no field is watched', async () => {
				const body = updatedWith({ changes });
				expectStarted(await signed(body), parsed(body));
			});
		});
	});

});
