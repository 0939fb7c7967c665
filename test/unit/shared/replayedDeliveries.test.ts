import { randomUUID } from 'crypto';
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { REMEMBER_FOR_MS, rememberedCount } from '../../../nodes/shared/acceptedDeliveries';
import { PROVIDERS, type Provider } from '../../support/providers';
import { signatureFor } from '../../support/signer';
import { ACK, REJECTED, expectIgnored, expectRefused, expectStarted } from '../helpers/expectations';
import {
	bytesOf,
	credentialsFor,
	expectNothingSecret,
	headersFor,
	jsonSamples,
	parsed,
	sendSigned,
	sentAtField,
	sign,
	withSentAt,
} from '../helpers/providerDeliveries';
import type { DeliveryOutcome, DeliverySetup } from '../helpers/webhookContext';

/**
 * Replays and stale deliveries (Drop Duplicate Deliveries, Max Delivery Age), over every provider:
 * a genuine delivery captured once and sent again starts nothing, and with Max Delivery Age on an
 * old or future-dated one is refused. Times are set with fake timers, long after every sample.
 */

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const MINUTE = 60_000;
const PROPERTY_RUNS = Number(process.env.REPLAY_RUNS ?? 300);

beforeEach(() => {
	jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
});
afterEach(() => {
	jest.useRealTimers();
});

const startedOnce = (outcome: DeliveryOutcome) => outcome.items?.length === 1;
const aWorkflow = () => `workflow-replays-${randomUUID()}`;

/** The parameter that turns Drop Duplicate Deliveries on, where it is not on by default. */
function dropping(provider: Provider): Record<string, unknown> {
	return provider.facts.duplicates.dropByDefault ? {} : { dropDuplicates: true };
}

/** A sample sent `minutesAgo` before now (negative: in the future), re-signed. */
function sentMinutesAgo(provider: Provider, sample: Buffer, minutesAgo: number): Buffer {
	return withSentAt(provider, sample, new Date(Date.now() - minutesAgo * MINUTE).toISOString());
}

describe.each(PROVIDERS)('$displayName: Drop Duplicate Deliveries', (provider) => {
	const samples = jsonSamples(provider).map(bytesOf);
	const [body] = samples;
	const on = dropping(provider);
	const onText = provider.facts.duplicates.dropByDefault ? 'by default' : 'with Drop Duplicate Deliveries on';
	const send = (sent: Buffer | string, setup: Partial<DeliverySetup>) =>
		sendSigned(provider, sent, { ...setup, parameters: { ...on, ...setup.parameters } });

	it(`${onText}: a genuine delivery sent again (the same bytes) is acknowledged with 200, starts nothing and says why`, async () => {
		const staticData: IDataObject = {};
		expectStarted(await send(body, { staticData }));
		for (let copy = 0; copy < 2; copy++) {
			const replay = await send(body, { staticData });
			expectIgnored(replay);
			expect(replay.logs.some((l) => l.level === 'info' && l.message.includes('already accepted'))).toBe(true);
		}
		expect(rememberedCount(staticData)).toBe(1);
	});

	it(`${onText}: starts exactly once per distinct delivery, whatever the order of the copies`, async () => {
		const staticData: IDataObject = {};
		const outcomes = [];
		for (const sent of [...samples, ...samples.slice().reverse(), ...samples]) outcomes.push(await send(sent, { staticData }));
		expect(outcomes.filter(startedOnce)).toHaveLength(samples.length);
		expect(outcomes.slice(0, samples.length).every(startedOnce)).toBe(true);
		for (const outcome of outcomes) expect(outcome.status).toBe(200);
		expect(rememberedCount(staticData)).toBe(samples.length);
	});

	it(`${provider.facts.duplicates.dropByDefault ? 'drops' : 'starts'} every copy by default`, async () => {
		const staticData: IDataObject = {};
		const copies = [];
		for (let copy = 0; copy < 3; copy++) copies.push(await sendSigned(provider, body, { staticData }));
		expect(copies.filter(startedOnce)).toHaveLength(provider.facts.duplicates.dropByDefault ? 1 : 3);
	});

	it('with Drop Duplicate Deliveries off, starts every copy and records nothing', async () => {
		const staticData: IDataObject = {};
		for (let copy = 0; copy < 3; copy++) expectStarted(await send(body, { staticData, parameters: { dropDuplicates: false } }));
		expect(rememberedCount(staticData)).toBe(0);
	});

	it('starts a test delivery (Test URL, manual mode) every time it is sent, and remembers it apart from production ones', async () => {
		const workflowId = aWorkflow();
		// Each "Listen for test event" session starts from the stored static data, which test runs never change.
		expectStarted(await send(body, { workflowId, staticData: {}, mode: 'manual' }));
		expectStarted(await send(body, { workflowId, staticData: {}, mode: 'manual' }));
		expectStarted(await send(body, { workflowId, staticData: {}, mode: 'webhook' }));
		expectIgnored(await send(body, { workflowId, staticData: {}, mode: 'webhook' }));
	});

	it('starts once for copies n8n handles at once, each request with its own copy of the static data', async () => {
		const workflowId = aWorkflow();
		const copies = await Promise.all([1, 2, 3, 4].map(() => send(body, { workflowId, staticData: {} })));
		expect(copies.filter(startedOnce)).toHaveLength(1);
		for (const copy of copies) expect(copy.status).toBe(200);
	});

	it('starts the retry of a delivery n8n failed to record (it answered 500), then drops the next copy', async () => {
		const workflowId = aWorkflow();
		expect((await send(body, { workflowId, staticData: {}, hostFails: true })).status).toBe(500);
		expectStarted(await send(body, { workflowId, staticData: {} }));
		expectIgnored(await send(body, { workflowId, staticData: {} }));
	});

	it('keeps the deliveries of one workflow apart from another’s', async () => {
		expectStarted(await send(body, { workflowId: aWorkflow(), staticData: {} }));
		expectStarted(await send(body, { workflowId: aWorkflow(), staticData: {} }));
	});

	it('leaves the static data as it was when a copy changes nothing (no save of the workflow)', async () => {
		const staticData: IDataObject = {};
		expectStarted(await send(body, { staticData }));
		const [key] = Object.keys(staticData);
		const record = staticData[key];
		expectIgnored(await send(body, { staticData }));
		expect(staticData[key]).toBe(record);
	});

	it('writes the accepted deliveries again when n8n reads the acknowledgement, with those other requests accepted meanwhile', async () => {
		// n8n 2.x records the execution before it reads the acknowledgement and saves the static
		// data, and recording marks the static data unchanged: only a write made then is saved.
		const workflowId = aWorkflow();
		const first: IDataObject = {};
		const second: IDataObject = {};
		const one = await send(samples[0], { workflowId, staticData: first });
		expectStarted(one);
		const [key] = Object.keys(first);
		const storedIds = (data: IDataObject) => (data[key] as { ids: string[] }).ids;
		const [firstId] = storedIds(first);
		expect(storedIds(first)).toHaveLength(1);
		expectStarted(await send(samples[1], { workflowId, staticData: second }));
		// Stand in for n8n's second look at the static data: the first request's record as loaded.
		first[key] = { ids: [], acceptedAt: [] };
		expect(one.result.webhookResponse).toEqual(ACK);
		expect(storedIds(first).sort()).toEqual([...storedIds(second)].sort());
		expect(storedIds(first)).toHaveLength(2);
		expect(storedIds(first)).toContain(firstId);
	});

	describe('records nothing for a delivery it does not start, so the genuine one still starts', () => {
		const event = parsed(body).event as string;
		const unselected = provider.facts.events.map((option) => option.value).filter((value) => value !== event);

		const { eventHeader, signature, rejectionStatus } = provider.facts;
		const cases: Array<[string, () => Partial<DeliverySetup>, number]> = [
			['a forged one', () => ({ headers: headersFor(provider, body, { [signature.header]: sign(provider, body, 'attacker') }) }), rejectionStatus],
			['one of an unselected event', () => ({ parameters: { ...on, events: unselected } }), 200],
			['one refused by its credential', () => ({ credentials: 'unreadable' }), rejectionStatus],
		];
		if (eventHeader !== undefined) {
			const bodyOnly = () => ({ headers: headersFor(provider, body, { [eventHeader]: undefined }), parameters: { ...on, events: unselected } });
			cases.push(['one of an unselected event named only in its body', bodyOnly, 200]);
		}

		it.each(cases)('%s', async (_name, setup, status) => {
			const staticData: IDataObject = {};
			const refused = await send(body, { staticData, ...setup() });
			expect(refused.status).toBe(status);
			expect(refused.items).toBeUndefined();
			expect(rememberedCount(staticData)).toBe(0);
			expectStarted(await send(body, { staticData }));
		});

		it('a verified body that is not an envelope', async () => {
			const staticData: IDataObject = {};
			const broken = body.subarray(0, body.length - 3);
			expect((await send(broken, { staticData })).status).toBe(400);
			expect(rememberedCount(staticData)).toBe(0);
			expectStarted(await send(body, { staticData }));
		});
	});

	it(`property: no sequence of replays within the ${REMEMBER_FOR_MS / 3_600_000}-hour window ever starts a delivery twice (${PROPERTY_RUNS} runs)`, async () => {
		const step = fc.record({ index: fc.nat({ max: samples.length - 1 }), advance: fc.integer({ min: 0, max: Math.floor(REMEMBER_FOR_MS / 25) }) });
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 24 }), fc.boolean(), async (steps, ownCopies) => {
				jest.setSystemTime(T0);
				const workflowId = aWorkflow();
				const stored: IDataObject = {};
				// Only the first copy of each delivery starts.
				const expected = steps.map(({ index }, at) => steps.findIndex((other) => other.index === index) === at);
				const outcomes: DeliveryOutcome[] = [];
				for (const { index, advance } of steps) {
					jest.setSystemTime(Date.now() + advance);
					// Each request with its own copy of the static data as n8n loaded it, or one shared object.
					outcomes.push(await send(samples[index], { workflowId, staticData: ownCopies ? {} : stored }));
				}
				expect(outcomes.map(startedOnce)).toEqual(expected);
				for (const outcome of outcomes) expect(outcome.status).toBe(200);
			}),
			{ numRuns: PROPERTY_RUNS },
		);
	});
});

const WITH_SENT_AT = PROVIDERS.filter((provider) => provider.facts.sentAt !== undefined);
const WITHOUT_SENT_AT = PROVIDERS.filter((provider) => provider.facts.sentAt === undefined);

describe.each(WITH_SENT_AT)('$displayName: Max Delivery Age', (provider) => {
	const { facts } = provider;
	const [sample] = jsonSamples(provider).map(bytesOf);
	const limited = (minutes: number) => ({ parameters: { options: { maxDeliveryAgeMinutes: minutes } } });
	const field = sentAtField(provider, parsed(sample));

	function expectStale(outcome: DeliveryOutcome, sent: Buffer, why: string): void {
		expectRefused(outcome, facts.rejectionStatus, facts.name, why);
		expect(outcome.responseBody).toEqual(REJECTED);
		expectNothingSecret(outcome, provider, sent);
	}

	it.each([
		['a minute old', 1],
		['just under the limit', 4.9],
		['30 seconds ahead of this clock', -0.5],
	])('starts a delivery sent %s', async (_name, minutesAgo) => {
		expectStarted(await sendSigned(provider, sentMinutesAgo(provider, sample, minutesAgo), limited(5)));
	});

	it(`refuses with ${facts.rejectionStatus} a delivery older than the limit, saying how old`, async () => {
		const sent = sentMinutesAgo(provider, sample, 6);
		expectStale(await sendSigned(provider, sent, limited(5)), sent, 'its timestamp is 360 seconds old, more than Max Delivery Age (5 minutes)');
	});

	it(`refuses with ${facts.rejectionStatus} a delivery more than 60 seconds in the future`, async () => {
		const sent = sentMinutesAgo(provider, sample, -2);
		expectStale(await sendSigned(provider, sent, limited(5)), sent, '120 seconds in the future');
	});

	it.each<[string, unknown]>([
		['no timestamp', undefined],
		['an unparseable timestamp', 'yesterday'],
		['a timestamp without a time zone', new Date(T0).toISOString().replace('Z', '')],
		['an empty timestamp', ''],
		['a timestamp that is a number', T0],
		['an impossible date', '2030-02-31T25:61:00Z'],
	])(`with the option on, refuses a delivery with %s (the ${field} field)`, async (_name, value) => {
		const sent = withSentAt(provider, sample, value);
		expectStale(await sendSigned(provider, sent, limited(5)), sent, 'no readable timestamp');
	});

	it('with the option off (the default), starts the documented samples, however old, and one without a timestamp', async () => {
		for (const old of jsonSamples(provider).map(bytesOf)) expectStarted(await sendSigned(provider, old));
		expectStarted(await sendSigned(provider, withSentAt(provider, sample, undefined)));
	});

	it('does not remember a stale delivery it refused', async () => {
		const staticData: IDataObject = {};
		const sent = sentMinutesAgo(provider, sample, 60);
		expect((await sendSigned(provider, sent, { ...limited(5), staticData })).status).toBe(facts.rejectionStatus);
		expect(rememberedCount(staticData)).toBe(0);
	});

	it(`property: no stale or future-dated delivery ever starts with the option on (${PROPERTY_RUNS} runs)`, async () => {
		const arbitrary = fc.record({
			limit: fc.integer({ min: 1, max: 7 * 24 * 60 }),
			future: fc.boolean(),
			beyond: fc.integer({ min: 1_000, max: 365 * 24 * 60 * MINUTE }),
			dropDuplicates: fc.boolean(),
			mode: fc.constantFrom('webhook' as const, 'manual' as const),
		});
		await fc.assert(
			fc.asyncProperty(arbitrary, async ({ limit, future, beyond, dropDuplicates, mode }) => {
				const age = future ? -(60_000 + beyond) : limit * MINUTE + beyond;
				const sent = withSentAt(provider, sample, new Date(Date.now() - age).toISOString());
				const staticData: IDataObject = {};
				const outcome = await sendSigned(provider, sent, { mode, staticData, parameters: { dropDuplicates, options: { maxDeliveryAgeMinutes: limit } } });
				expectStale(outcome, sent, future ? 'in the future' : 'more than Max Delivery Age');
				expect(rememberedCount(staticData)).toBe(0);
			}),
			{ numRuns: PROPERTY_RUNS },
		);
	});

	it(`property: every delivery within the limit and the clock skew starts (${PROPERTY_RUNS} runs)`, async () => {
		const arbitrary = fc.integer({ min: 1, max: 7 * 24 * 60 }).chain((limit) =>
			fc.record({ limit: fc.constant(limit), age: fc.integer({ min: -59_000, max: limit * MINUTE - 1_000 }) }),
		);
		await fc.assert(
			fc.asyncProperty(arbitrary, async ({ limit, age }) => {
				const sent = withSentAt(provider, sample, new Date(Date.now() - age).toISOString());
				expectStarted(await sendSigned(provider, sent, limited(limit)));
			}),
			{ numRuns: PROPERTY_RUNS },
		);
	});
});

describe.each(WITHOUT_SENT_AT)('$displayName: no signed time, so no Max Delivery Age', (provider) => {
	it('starts a delivery even if the option is set', async () => {
		const [sample] = jsonSamples(provider).map(bytesOf);
		expectStarted(await sendSigned(provider, sample, { parameters: { options: { maxDeliveryAgeMinutes: 1 } } }));
	});
});

describe.each(PROVIDERS)('$displayName: refusals', (provider) => {
	const { facts } = provider;
	const [sample] = jsonSamples(provider).map(bytesOf);
	const token = fc.stringMatching(/^[A-Za-z0-9]{16,40}$/);
	const fields = Object.keys(facts.credential.fields ?? {});
	const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
	type Kind = 'wrongSecret' | 'tampered' | 'noSignature' | 'malformed' | 'repeated' | 'stale' | 'noTimestamp' | 'wrongField';
	const kinds: Kind[] = ['wrongSecret', 'tampered', 'noSignature', 'malformed', 'repeated'];
	if (facts.sentAt !== undefined) kinds.push('stale', 'noTimestamp');
	if (fields.some((name) => snake(name) in parsed(sample))) kinds.push('wrongField');

	it(`property: nothing secret in any refusal, whatever the secrets (${PROPERTY_RUNS} runs)`, async () => {
		// Every token differs from every other: a "wrong" secret or field value that happened to equal
		// the right one would make a genuine delivery, which must start.
		const tokenCount = 3 + fields.length;
		const arbitrary = fc.record({
			tokens: fc.uniqueArray(token, { minLength: tokenCount, maxLength: tokenCount }),
			kind: fc.constantFrom(...kinds),
			usePrevious: fc.boolean(),
		});
		await fc.assert(
			fc.asyncProperty(arbitrary, async ({ tokens, kind, usePrevious }) => {
				const [secret, previous, other, ...values] = tokens as [string, string, string, ...string[]];
				const fieldValues = Object.fromEntries(fields.map((name, index) => [name, values[index] as string]));
				const content = parsed(sample);
				for (const [name, value] of Object.entries(fieldValues)) {
					if (snake(name) in content) content[snake(name)] = kind === 'wrongField' ? other : value;
				}
				if (facts.sentAt !== undefined) {
					const sentAt = kind === 'stale' ? T0 - 10 * MINUTE : T0;
					content[sentAtField(provider, content)] = new Date(sentAt).toISOString();
					if (kind === 'noTimestamp') delete content[sentAtField(provider, parsed(sample))];
				}
				const sent = Buffer.from(JSON.stringify(content, null, 2));
				const signingSecret = kind === 'wrongSecret' ? other : usePrevious ? previous : secret;
				const good = signatureFor(signingSecret, sent, { encoding: facts.signature.encodings[0], prefix: facts.signature.prefix });
				const signatures: Partial<Record<Kind, string | string[] | undefined>> = {
					noSignature: undefined,
					malformed: good.slice(0, -2),
					repeated: [good, good],
				};
				const signature = kind in signatures ? signatures[kind] : good;
				const outcome = await sendSigned(provider, kind === 'tampered' ? Buffer.concat([sent, Buffer.from(' ')]) : sent, {
					headers: headersFor(provider, sent, { [facts.signature.header]: signature }),
					credentials: { ...credentialsFor(provider, { webhookSecret: secret, previousWebhookSecret: previous }), ...fieldValues },
					parameters: { options: { maxDeliveryAgeMinutes: 5 } },
				});
				expect(outcome.status).toBe(facts.rejectionStatus);
				expect(outcome.items).toBeUndefined();
				const written = JSON.stringify([outcome.logs, outcome.responseBody, outcome.result]);
				for (const value of [secret, previous, other, ...Object.values(fieldValues), good]) expect(written).not.toContain(value);
			}),
			{ numRuns: PROPERTY_RUNS },
		);
	});
});
