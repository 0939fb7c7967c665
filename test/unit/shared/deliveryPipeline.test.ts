import { PROVIDERS, type Provider } from '../../support/providers';
import { signatureFor } from '../../support/signer';
import { ACK, expectIgnored, expectMalformed, expectRefused, expectStarted, hookContext } from '../helpers/expectations';
import {
	PREVIOUS_SECRET,
	SECRET,
	bytesOf,
	credentialsFor,
	expectNothingSecret,
	headersFor,
	jsonSamples,
	nodeOf,
	parsed,
	sendSigned,
	sign,
} from '../helpers/providerDeliveries';
import type { DeliverySetup } from '../helpers/webhookContext';

/**
 * The shared delivery pipeline, run over every provider the package declares: what each trigger
 * declares, the deliveries it refuses (and with what), the ones it acknowledges without starting,
 * the ones it starts, and that no secret shows in any log line or answer. What is one provider's
 * own (its documented vectors, filters, item shape) is in that provider's test file.
 */

type Row = [name: string, overrides: Partial<DeliverySetup>, reason: string];

/** Deliveries of `body` whose signature (or credential) is wrong, each with the reason the warning gives. */
function signatureRefusals(provider: Provider, body: Buffer): Row[] {
	const { signature, eventHeader, mayBeUnsigned } = provider.facts;
	const good = sign(provider, body);
	const digest = good.slice(signature.prefix.length);
	const withSignature = (value: string | string[] | undefined): Partial<DeliverySetup> => ({
		headers: headersFor(provider, body, { [signature.header]: value }),
	});
	const tampered = Buffer.from(body.toString('utf8').replace(/}\s*$/, ' }'));
	const rows: Row[] = [
		['a signature made with another secret', withSignature(sign(provider, body, 'not-the-secret')), 'does not match'],
		['a tampered body under the original signature', { body: tampered, headers: headersFor(provider, body) }, 'does not match'],
		['a re-serialised body under the original signature', { body: JSON.stringify(parsed(body)), headers: headersFor(provider, body) }, 'does not match'],
		['the signature of another body', withSignature(sign(provider, '{}')), 'does not match'],
		['no signature header', withSignature(undefined), 'is missing'],
		['an empty signature header', withSignature(''), 'is missing'],
		['a repeated signature header', withSignature([good, good]), 'more than once'],
		['a signature header joined by Node.js', withSignature(`${good}, ${good}`), 'more than once'],
		['a truncated signature', withSignature(good.slice(0, -1)), 'expected format'],
		['a signature with a character outside its encoding', withSignature(`${good.slice(0, -1)}!`), 'expected format'],
		['the signature with a leading space', withSignature(` ${good}`), 'expected format'],
		['no secret in the credential', { credentials: credentialsFor(provider, { webhookSecret: '' }) }, 'no signing secret'],
		['a credential with no secret field', { credentials: credentialsFor(provider, { webhookSecret: undefined }) }, 'no signing secret'],
		['no credential at all', { credentials: null }, 'no signing secret'],
		['a credential that cannot be read', { credentials: 'unreadable' }, 'could not be read'],
		['no raw body', { withoutRawBody: true }, 'raw request body'],
		[
			'the previous secret once it is cleared from the credential',
			{ ...withSignature(sign(provider, body, PREVIOUS_SECRET)), credentials: credentialsFor(provider, { previousWebhookSecret: '' }) },
			'does not match',
		],
	];
	if (signature.prefix === '') {
		rows.push(['a sha256=-prefixed signature', withSignature(`sha256=${digest}`), 'expected format']);
	} else {
		rows.push(
			['a bare digest without the prefix', withSignature(digest), 'expected format'],
			['an upper-case prefix', withSignature(`${signature.prefix.toUpperCase()}${digest}`), 'expected format'],
			['another prefix', withSignature(`sha1=${digest}`), 'expected format'],
			['only the prefix', withSignature(signature.prefix), 'expected format'],
		);
	}
	for (const encoding of ['hex', 'base64'] as const) {
		if (signature.encodings.includes(encoding)) continue;
		const other = signatureFor(SECRET, body, { encoding, prefix: signature.prefix });
		rows.push([`a ${encoding} digest, which the provider does not send`, withSignature(other), 'expected format']);
	}
	if (mayBeUnsigned !== true) {
		rows.push([
			'an unsigned delivery with no secret and Accept Unsigned Deliveries asked for (the provider always signs)',
			{ ...withSignature(undefined), credentials: null, parameters: { acceptUnsignedDeliveries: true } },
			'no signing secret',
		]);
	}
	if (eventHeader !== undefined) {
		const event = parsed(body).event as string;
		const unselected = { events: provider.facts.events.map((option) => option.value).filter((value) => value !== event) };
		rows.push(
			[
				'a forged delivery whose event header names an unselected event (refused, not acknowledged)',
				{ ...withSignature(sign(provider, body, 'forger')), parameters: unselected },
				'does not match',
			],
			['an unsigned delivery whose event header names an unselected event', { ...withSignature(undefined), parameters: unselected }, 'is missing'],
		);
	}
	return rows;
}

/** Verified bodies that are not an envelope: each is answered 400. */
const NOT_ENVELOPES: Array<[string, string]> = [
	['invalid JSON', '{"event": "x",'],
	['a JSON array', '[{"event":"x"}]'],
	['an empty array', '[]'],
	['a JSON string', '"x"'],
	['null', 'null'],
	['an object without event', '{"data":{}}'],
	['an object whose event is a number', '{"event":42,"data":{}}'],
	['an empty body', ''],
];

/** `name` as a client may write it: each word capitalised. */
const capitalised = (name: string) => name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);

describe.each(PROVIDERS)('$displayName', (provider) => {
	const { facts } = provider;
	const node = nodeOf(provider);
	const allEvents = facts.events.map((event) => event.value);
	const [first] = jsonSamples(provider);
	const body = bytesOf(first);
	const otherEvents = (event: string) => allEvents.filter((value) => value !== event);
	/** The event header naming `event`, for a provider that has one. */
	const eventHeaderNaming = (event: string | undefined): Record<string, string | undefined> =>
		facts.eventHeader === undefined ? {} : { [facts.eventHeader]: event };

	describe('its description', () => {
		const property = (name: string) => node.description.properties.find((p) => p.name === name);
		const option = (name: string) => property('options')?.options?.find((o) => 'name' in o && o.name === name);

		it('offers the events of its facts, in their order, all selected by default', () => {
			expect(property('events')?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(allEvents);
			expect(property('events')?.default).toEqual(allEvents);
		});

		it('declares one POST webhook answered on receipt, declaring no fixed response', () => {
			expect(node.description.webhooks).toEqual([
				expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook', responseData: '' }),
			]);
		});

		it('names the credential of its facts, required unless deliveries may be unsigned, with a credential test the node provides', () => {
			expect(node.description.credentials).toEqual([
				expect.objectContaining({ name: facts.credential.type, required: facts.mayBeUnsigned !== true, testedBy: 'checkSigningCredential' }),
			]);
			expect(provider.credential.name).toBe(facts.credential.type);
			expect(typeof node.methods?.credentialTest?.checkSigningCredential).toBe('function');
		});

		it('has a credential with the secret, the previous secret and its own fields, all password fields, required as its facts say', () => {
			const properties = provider.credential.properties;
			const fields = facts.credential.fields ?? {};
			expect(properties.map((p) => p.name).sort()).toEqual(['webhookSecret', 'previousWebhookSecret', ...Object.keys(fields)].sort());
			expect(properties.every((p) => p.typeOptions?.password === true)).toBe(true);
			expect(properties.find((p) => p.name === 'webhookSecret')?.required).toBe(true);
			for (const [name, { required }] of Object.entries(fields)) {
				expect(properties.find((p) => p.name === name)?.required === true).toBe(required);
			}
		});

		it('offers Include Headers, off by default', () => {
			expect(option('includeHeaders')).toEqual(expect.objectContaining({ type: 'boolean', default: false }));
		});

		it(`drops duplicate deliveries ${facts.duplicates.dropByDefault ? 'by default' : 'only when asked'}`, () => {
			expect(property('dropDuplicates')).toEqual(expect.objectContaining({ type: 'boolean', default: facts.duplicates.dropByDefault }));
		});

		it(`${facts.sentAt ? 'offers' : 'has no'} Max Delivery Age`, () => {
			expect(option('maxDeliveryAgeMinutes') !== undefined).toBe(facts.sentAt !== undefined);
		});

		it(`${facts.mayBeUnsigned ? 'has' : 'has no'} an Accept Unsigned Deliveries switch${facts.mayBeUnsigned ? ', off by default, warning of the risk' : ''}`, () => {
			const accept = property('acceptUnsignedDeliveries');
			if (facts.mayBeUnsigned !== true) {
				expect(accept).toBeUndefined();
				return;
			}
			expect(accept).toEqual(expect.objectContaining({ type: 'boolean', default: false }));
			expect(accept?.description).toContain('Anyone');
		});
	});

	describe('its documented samples, signed as it signs them', () => {
		describe.each(provider.samples.map((sample) => [sample.file.replace(/^.*[\\/]/, ''), sample] as const))('%s', (_file, sample) => {
			const sent = bytesOf(sample);

			it('start the workflow with one item of their event, answered 200 with an acknowledgement', async () => {
				const outcome = await sendSigned(provider, sent);
				expectStarted(outcome);
				expect(outcome.items?.[0].event).toBe(sample.event);
				expect(outcome.result.webhookResponse).toEqual(ACK);
				expect(outcome.logs.filter((l) => l.level === 'warn')).toEqual([]);
				expectNothingSecret(outcome, provider, sent);
			});

			it('are acknowledged with 200 and start nothing when their event is not selected', async () => {
				const outcome = await sendSigned(provider, sent, { parameters: { events: otherEvents(sample.event) } });
				expectIgnored(outcome);
				expect(outcome.logs.some((l) => l.message.includes('not selected') && l.message.includes(sample.event))).toBe(true);
			});

			it('with Include Headers, carry the request headers but the signature header', async () => {
				const headers = headersFor(provider, sent, { 'user-agent': `${facts.name}-Webhooks` });
				const written = Object.fromEntries(Object.entries(headers).map(([name, value]) => [capitalised(name), value]));
				const outcome = await sendSigned(provider, sent, { headers: written, parameters: { options: { includeHeaders: true } } });
				const plain = await sendSigned(provider, sent);
				expectStarted(outcome);
				const { [facts.signature.header]: signature, ...kept } = headers;
				expect(outcome.items?.[0].headers).toEqual(kept);
				expect(outcome.items).toEqual([{ ...plain.items?.[0], headers: kept }]);
				expect(JSON.stringify(outcome.items)).not.toContain(signature as string);
			});

			it('leave the headers out by default', async () => {
				expect((await sendSigned(provider, sent)).items?.[0]).not.toHaveProperty('headers');
			});

			if (facts.eventHeader !== undefined) {
				it('without the event header, or with an empty one, start the workflow on the event named in the body', async () => {
					const started = await sendSigned(provider, sent);
					for (const event of [undefined, '']) {
						const outcome = await sendSigned(provider, sent, { headers: headersFor(provider, sent, eventHeaderNaming(event)) });
						expectStarted(outcome);
						expect(outcome.items).toEqual(started.items);
					}
				});

				it('without the event header, start nothing when the event named in the body is not selected', async () => {
					const outcome = await sendSigned(provider, sent, {
						headers: headersFor(provider, sent, eventHeaderNaming(undefined)),
						parameters: { events: otherEvents(sample.event) },
					});
					expectIgnored(outcome);
				});
			}
		});
	});

	describe(`refuses with ${facts.rejectionStatus}, starts nothing, logs one warning saying why and nothing secret`, () => {
		it.each(signatureRefusals(provider, body))('%s', async (_name, overrides, reason) => {
			const outcome = await sendSigned(provider, body, overrides);
			expectRefused(outcome, facts.rejectionStatus, facts.name, reason);
			expectNothingSecret(outcome, provider, overrides.body ?? body, [sign(provider, body)]);
		});

		it('a malformed body under a wrong signature, before parsing it', async () => {
			const broken = '{"event": "x",';
			const outcome = await sendSigned(provider, broken, { headers: headersFor(provider, broken, { [facts.signature.header]: sign(provider, '{}') }) });
			expectRefused(outcome, facts.rejectionStatus, facts.name, 'does not match');
		});

		it('but accepts the untouched body with the right signature (the cases above differ only in what they break)', async () => {
			expectStarted(await sendSigned(provider, body));
		});
	});

	describe('accepts its signature in every form it may take', () => {
		const withSignature = (value: string) => ({ headers: headersFor(provider, body, { [facts.signature.header]: value }) });

		it.each(facts.signature.encodings.map((encoding) => [encoding]))('%s', async (encoding) => {
			expectStarted(await sendSigned(provider, body, withSignature(sign(provider, body, SECRET, encoding))));
		});

		if (facts.signature.encodings.includes('hex')) {
			it('upper-case hex, the same digest', async () => {
				const digest = signatureFor(SECRET, body, { encoding: 'hex' }).toUpperCase();
				expectStarted(await sendSigned(provider, body, withSignature(`${facts.signature.prefix}${digest}`)));
			});
		}

		if (facts.signature.encodings.includes('base64')) {
			it('base64 without its padding', async () => {
				const digest = signatureFor(SECRET, body, { encoding: 'base64' });
				expect(digest.endsWith('=')).toBe(true);
				expectStarted(await sendSigned(provider, body, withSignature(`${facts.signature.prefix}${digest.replace(/=+$/, '')}`)));
			});
		}
	});

	describe('secret rotation', () => {
		const rotating = credentialsFor(provider, { previousWebhookSecret: PREVIOUS_SECRET });

		it('accepts a delivery signed with the previous secret and logs (info) that rotation is unfinished', async () => {
			const outcome = await sendSigned(provider, body, {
				headers: headersFor(provider, body, { [facts.signature.header]: sign(provider, body, PREVIOUS_SECRET) }),
				credentials: rotating,
			});
			expectStarted(outcome);
			expect(outcome.logs.some((l) => l.level === 'info' && l.message.includes('previous secret'))).toBe(true);
			expectNothingSecret(outcome, provider, body);
		});

		it('accepts the new secret during rotation without the rotation log', async () => {
			const outcome = await sendSigned(provider, body, { credentials: rotating });
			expectStarted(outcome);
			expect(outcome.logs.some((l) => l.message.includes('previous secret'))).toBe(false);
		});
	});

	describe('a verified body that is not an envelope gets 400, starts nothing and says why', () => {
		it.each(NOT_ENVELOPES)('%s', async (_name, text) => {
			const outcome = await sendSigned(provider, text, { headers: headersFor(provider, text, eventHeaderNaming(first.event)) });
			expectMalformed(outcome);
			const warnings = outcome.logs.filter((l) => l.level === 'warn');
			expect(warnings).toHaveLength(1);
			expect(warnings[0].message).toContain('refused a verified delivery');
			expectNothingSecret(outcome, provider, text);
		});
	});


	describe('events', () => {
		const unknown = Buffer.from(body.toString('utf8').replace(`"${first.event}"`, '"unknown.event"'));

		it('starts nothing when no event is selected at all', async () => {
			expectIgnored(await sendSigned(provider, body, { parameters: { events: [] } }));
		});

		it('acknowledges a verified unknown event without starting anything', async () => {
			expect(parsed(unknown).event).toBe('unknown.event');
			expectIgnored(await sendSigned(provider, unknown));
			expectIgnored(await sendSigned(provider, unknown, { headers: headersFor(provider, unknown, eventHeaderNaming(undefined)) }));
		});
	});

	if (facts.eventHeader !== undefined) describe('its event header', () => {
		const [other] = otherEvents(first.event);
		const notJson = `{"event": "${first.event}", "data": {`;

		it('naming an unselected event, is acknowledged without parsing the body (verified invalid JSON gets 200)', async () => {
			const outcome = await sendSigned(provider, notJson, { parameters: { events: otherEvents(first.event) } });
			expectIgnored(outcome);
			expect(outcome.logs.filter((l) => l.level === 'warn')).toEqual([]);
		});

		it('naming a selected event, the same invalid JSON is refused with 400 (so the 200 above came from not parsing)', async () => {
			const outcome = await sendSigned(provider, notJson);
			expectMalformed(outcome);
			expect(outcome.logs.some((l) => l.level === 'warn' && l.message.includes('not an object'))).toBe(true);
		});

		it('naming another (selected) event than the body, is refused with 400', async () => {
			const outcome = await sendSigned(provider, body, { headers: headersFor(provider, body, eventHeaderNaming(other)) });
			expectMalformed(outcome);
			expect(outcome.logs.some((l) => l.level === 'warn' && l.message.includes('different events'))).toBe(true);
		});

		it('naming another event than the body, is refused with 400 even when only the header’s event is selected', async () => {
			const outcome = await sendSigned(provider, body, {
				headers: headersFor(provider, body, eventHeaderNaming(other)),
				parameters: { events: [other] },
			});
			expectMalformed(outcome);
		});
	});

	describe('activation (webhookMethods.default)', () => {
		const hooks = node.webhookMethods?.default;
		const create = (credentials: Record<string, unknown> | null, parameters: Record<string, unknown> = {}) =>
			hooks?.create?.call(hookContext(credentials, parameters)) as Promise<boolean>;

		it('always asks n8n to run create, and has nothing to remove on delete', async () => {
			await expect(hooks?.checkExists.call(hookContext(credentialsFor(provider)))).resolves.toBe(false);
			await expect(hooks?.delete?.call(hookContext(credentialsFor(provider)))).resolves.toBe(true);
		});

		it('activates with a secret and its fields', async () => {
			await expect(create(credentialsFor(provider))).resolves.toBe(true);
		});

		it('refuses to activate without a secret or a credential, naming the provider', async () => {
			await expect(create(credentialsFor(provider, { webhookSecret: '' }))).rejects.toThrow(`${facts.name} credential has no signing secret`);
			await expect(create(null)).rejects.toThrow(`Select a ${facts.name} credential`);
			await expect(create(null, { acceptUnsignedDeliveries: false })).rejects.toThrow();
		});

		for (const [name, { label, required }] of Object.entries(facts.credential.fields ?? {})) {
			if (!required) continue;
			it(`refuses to activate without its ${name}`, async () => {
				await expect(create(credentialsFor(provider, { [name]: '' }))).rejects.toThrow(`has no ${label}`);
			});
		}

		it(`${facts.mayBeUnsigned ? 'activates' : 'refuses to activate'} without a secret when asked to accept unsigned deliveries`, async () => {
			const unsigned = [create(null, { acceptUnsignedDeliveries: true }), create({ webhookSecret: '' }, { acceptUnsignedDeliveries: true })];
			for (const activation of unsigned) {
				if (facts.mayBeUnsigned === true) await expect(activation).resolves.toBe(true);
				else await expect(activation).rejects.toThrow();
			}
		});
	});

});
