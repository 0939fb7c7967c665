import fc from 'fast-check';
import type { IDataObject, INodeType } from 'n8n-workflow';

import { PROVIDERS, type Provider } from '../../support/providers';
import { hmacSha256, signatureFor as signed, type DigestEncoding } from '../../support/signer';
import { bytesOf, fieldValues, jsonSamples, nodeOf } from '../helpers/providerDeliveries';
import { deliver } from '../helpers/webhookContext';

/**
 * Property-based tests of every trigger's webhook() against what a public URL receives:
 * random and mutated bodies, random and malformed signature headers, wrong content types,
 * a missing raw body. Signatures here are computed independently of the code under test.
 */

const SECRET = 'hostile-test-secret-4d1c';
const PREVIOUS_SECRET = 'hostile-test-previous-secret-77aa';
const HOSTILE_RUNS = Number(process.env.HOSTILE_RUNS ?? 8000);
const GENUINE_RUNS = Number(process.env.GENUINE_RUNS ?? 2000);

interface TriggerUnderTest {
	name: string;
	node: INodeType;
	header: string;
	prefix: string;
	encodings: readonly DigestEncoding[];
	eventHeader?: string;
	rejectionStatus: number;
	credentials: Record<string, string>;
	/** The credential's own fields, which the samples carry (SiteCapture's api_key). */
	fieldValues: string[];
	samples: Buffer[];
	/** The item a genuine delivery of `payload` must produce. */
	expectedItem: (payload: IDataObject) => IDataObject;
}

function underTest(provider: Provider): TriggerUnderTest {
	const { facts } = provider;
	const values = fieldValues(provider);
	return {
		name: facts.name,
		node: nodeOf(provider),
		header: facts.signature.header,
		prefix: facts.signature.prefix,
		encodings: facts.signature.encodings,
		eventHeader: facts.eventHeader,
		rejectionStatus: facts.rejectionStatus,
		credentials: { webhookSecret: SECRET, previousWebhookSecret: PREVIOUS_SECRET, ...values },
		fieldValues: Object.values(values),
		samples: jsonSamples(provider).map(bytesOf),
		expectedItem: (payload) => (facts.toItem ? facts.toItem(payload as never) : payload),
	};
}

const TRIGGERS = PROVIDERS.map(underTest);

function digest(body: Buffer, secret: string, encoding: DigestEncoding): string {
	return hmacSha256(secret, body, encoding);
}

function signatureFor(trigger: TriggerUnderTest, body: Buffer, secret = SECRET, encoding = trigger.encodings[0]) {
	return signed(secret, body, { encoding, prefix: trigger.prefix });
}

/** Whether `header` is, by the provider's own rules, a valid signature of `body`. */
function independentlyValid(trigger: TriggerUnderTest, body: Buffer, header: unknown): boolean {
	if (typeof header !== 'string') return false;
	return [SECRET, PREVIOUS_SECRET].some((secret) =>
		trigger.encodings.some((encoding) => {
			const expected = digest(body, secret, encoding);
			const bare = header.startsWith(trigger.prefix) ? header.slice(trigger.prefix.length) : undefined;
			if (bare === undefined) return false;
			if (encoding === 'hex') return bare.toLowerCase() === expected;
			return bare === expected || bare === expected.replace(/=$/, '');
		}),
	);
}

const casesRun: Record<string, number> = {};

afterAll(() => {
	const total = Object.values(casesRun).reduce((sum, count) => sum + count, 0);
	const lines = Object.entries(casesRun).map(([name, count]) => `  ${name.padEnd(12)} ${count} cases`);
	process.stdout.write(`\nHostile-input property cases run:\n${lines.join('\n')}\n  total        ${total} cases\n`);
});

/** Bodies a public URL may receive: the provider's own samples, mutated, or anything at all. */
function hostileBody(trigger: TriggerUnderTest): fc.Arbitrary<Buffer> {
	const sample = fc.constantFrom(...trigger.samples);
	const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((array) => Buffer.from(array));
	return fc.oneof(
		// One bit flipped anywhere in a genuine body.
		fc.tuple(sample, fc.nat(), fc.integer({ min: 0, max: 7 })).map(([body, at, bit]) => {
			const copy = Buffer.from(body);
			copy[at % copy.length] ^= 1 << bit;
			return copy;
		}),
		// Truncated, or extended with random bytes.
		fc.tuple(sample, fc.nat()).map(([body, at]) => body.subarray(0, at % body.length)),
		fc.tuple(sample, bytes(64)).map(([body, extra]) => Buffer.concat([body, extra])),
		// Random bytes, including invalid UTF-8.
		bytes(2048),
		fc.constant(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc])),
		// Any JSON value, valid or with the provider's event.
		fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
		fc.record({ event: fc.string(), data: fc.jsonValue() }).map((value) => Buffer.from(JSON.stringify(value))),
		// Deeply nested JSON and XML.
		fc.integer({ min: 1, max: 20000 }).map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
		fc.integer({ min: 1, max: 20000 }).map((depth) => Buffer.from(`${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`)),
		// XML bombs: entity expansion and external entities.
		fc.constant(
			Buffer.from(
				'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><webhook><event>sitemap.generated</event><id>&lol2;</id></webhook>',
			),
		),
		fc.constant(
			Buffer.from('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><webhook><event>crawl.error</event><id>&x;</id></webhook>'),
		),
		// A large body.
		fc.integer({ min: 100_000, max: 1_000_000 }).map((size) => Buffer.alloc(size, 0x7b)),
	);
}

type HeaderChoice =
	| { kind: 'fixed'; value: string | string[] | undefined }
	| { kind: 'signed'; secret: string; mangle: 'none' | 'leadingSpace' | 'upperPrefix' };

/**
 * Signature headers: absent, empty, repeated, malformed, a real signature of other bytes, or
 * (sometimes) the real signature of the bytes sent, which makes the delivery genuine.
 */
function hostileHeader(trigger: TriggerUnderTest): fc.Arbitrary<HeaderChoice> {
	const good = signatureFor(trigger, trigger.samples[0]);
	const fixed = fc
		.oneof(
			fc.constant(undefined),
			fc.constant(''),
			fc.string({ maxLength: 200 }),
			fc.stringMatching(/^[0-9a-f]{0,80}$/),
			fc.stringMatching(/^(sha256=|SHA256=|sha1=)?[0-9a-fA-F]{64}$/),
			fc.stringMatching(/^[A-Za-z0-9+/]{43}=?$/),
			fc.constant(good),
			fc.constant<string[]>([good, good]),
			fc.constant(`${good}, ${good}`),
		)
		.map((value): HeaderChoice => ({ kind: 'fixed', value }));
	const signed = fc.record({
		kind: fc.constant('signed' as const),
		secret: fc.constantFrom(SECRET, PREVIOUS_SECRET, 'not-the-secret'),
		mangle: fc.constantFrom('none' as const, 'leadingSpace' as const, 'upperPrefix' as const),
	});
	return fc.oneof(fixed, signed);
}

function headerValue(trigger: TriggerUnderTest, body: Buffer, choice: HeaderChoice): string | string[] | undefined {
	if (choice.kind === 'fixed') return choice.value;
	const signature = signatureFor(trigger, body, choice.secret);
	if (choice.mangle === 'leadingSpace') return ` ${signature}`;
	if (choice.mangle === 'upperPrefix' && trigger.prefix !== '') return signature.replace(trigger.prefix, trigger.prefix.toUpperCase());
	return signature;
}

describe.each(TRIGGERS)('$name Trigger webhook() under hostile input', (trigger) => {
	it(`never throws, never starts a workflow for an unverified delivery, never echoes a secret (${HOSTILE_RUNS} cases)`, async () => {
		const arbitrary = fc.record({
			body: hostileBody(trigger),
			header: hostileHeader(trigger),
			contentType: fc.constantFrom('application/json', 'application/xml', 'text/plain', 'multipart/form-data', ''),
			eventHeader: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
			withoutRawBody: fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
			includeHeaders: fc.boolean(),
		});
		await fc.assert(
			fc.asyncProperty(arbitrary, async (input) => {
				casesRun[trigger.name] = (casesRun[trigger.name] ?? 0) + 1;
				const header = headerValue(trigger, input.body, input.header);
				const headers: Record<string, string | string[]> = {};
				if (header !== undefined) headers[trigger.header] = header;
				if (input.contentType) headers['content-type'] = input.contentType;
				if (trigger.eventHeader && input.eventHeader !== undefined) headers[trigger.eventHeader] = input.eventHeader;

				const outcome = await deliver(trigger.node, {
					body: input.body,
					headers,
					credentials: trigger.credentials,
					parameters: { options: { includeHeaders: input.includeHeaders } },
					withoutRawBody: input.withoutRawBody,
				});

				const verified = !input.withoutRawBody && independentlyValid(trigger, input.body, header);
				if (!verified) {
					expect(outcome.status).toBe(trigger.rejectionStatus);
					expect(outcome.items).toBeUndefined();
				} else {
					// A verified body may still be refused: not an envelope (400), or SiteCapture's key (401).
					expect([200, 400, trigger.rejectionStatus]).toContain(outcome.status);
					expect((outcome.items ?? []).length).toBeLessThanOrEqual(1);
				}
				const written = JSON.stringify([outcome.items, outcome.responseBody, outcome.logs]);
				for (const secret of Object.values(trigger.credentials)) expect(written).not.toContain(secret);
				for (const encoding of ['hex', 'base64'] as const) {
					expect(written).not.toContain(digest(input.body, SECRET, encoding));
				}
			}),
			{ numRuns: HOSTILE_RUNS },
		);
	});

	it(`starts exactly one item equal to every genuine delivery (${GENUINE_RUNS} cases)`, async () => {
		const arbitrary = fc.record({
			sample: fc.constantFrom(...trigger.samples),
			// Random values replacing the sample's own, as a real account would send.
			extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !['event', 'api_key', '__proto__'].includes(key)), fc.jsonValue(), { maxKeys: 4 }),
			secret: fc.constantFrom(SECRET, PREVIOUS_SECRET),
			encoding: fc.constantFrom(...trigger.encodings),
			indent: fc.constantFrom(0, 2, '\t'),
		});
		await fc.assert(
			fc.asyncProperty(arbitrary, async ({ sample, extra, secret, encoding, indent }) => {
				casesRun[trigger.name] = (casesRun[trigger.name] ?? 0) + 1;
				const payload = { ...JSON.parse(sample.toString('utf8')), ...extra } as IDataObject;
				const body = Buffer.from(JSON.stringify(payload, null, indent));
				const headers: Record<string, string> = { [trigger.header]: signatureFor(trigger, body, secret, encoding) };
				if (trigger.eventHeader) headers[trigger.eventHeader] = payload.event as string;

				const outcome = await deliver(trigger.node, { body, headers, credentials: trigger.credentials });

				expect(outcome.status).toBe(200);
				expect(outcome.items).toEqual([trigger.expectedItem(JSON.parse(body.toString('utf8')))]);
				for (const value of trigger.fieldValues) expect(JSON.stringify(outcome.items)).not.toContain(value);
			}),
			{ numRuns: GENUINE_RUNS },
		);
	});
});
