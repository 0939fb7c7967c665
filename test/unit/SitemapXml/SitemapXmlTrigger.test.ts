import type { IDataObject } from 'n8n-workflow';

import { MAX_REMEMBERED_DELIVERIES, rememberedCount } from '../../../nodes/shared/acceptedDeliveries';
import { SITEMAP_XML_FIELD_TYPES } from '../../../nodes/SitemapXml/SitemapXmlProvider';
import { SitemapXmlTrigger } from '../../../nodes/SitemapXml/SitemapXmlTrigger.node';
import { CHUNK_BYTES, xmlTextChunks, xmlToObject } from '../../../nodes/SitemapXml/xmlEnvelope';
import { hmacSha256, signatureFor } from '../../support/signer';
import { expectRefused } from '../helpers/expectations';
import { deliver, fixture, type DeliveryOutcome, type DeliverySetup } from '../helpers/webhookContext';

/**
 * Sitemap.xml's own: its documented events and signature, the XML form, duplicates recognised by
 * their id, and its item. The shared pipeline is tested in shared/deliveryPipeline and
 * shared/replayedDeliveries.
 */

const SECRET = 'sitemapxml-test-secret';
const node = new SitemapXmlTrigger();
const events = ['sitemap.generated', 'sitemap.updated', 'indexing.completed', 'crawl.error', 'quota.warning'] as const;
const formats = ['json', 'xml'] as const;

const NOT_UNDERSTOOD = { error: 'Webhook payload not understood' };
const ACKNOWLEDGED = { received: true };

function sign(body: Buffer | string, secret = SECRET): string {
	return signatureFor(secret, body, { prefix: 'sha256=' });
}

/** The event a body names, read from it, so a hand-written body gets the header the provider would send. */
function eventOf(body: Buffer | string): string {
	const text = body.toString();
	const match = /"event"\s*:\s*"([^"]*)"/.exec(text) ?? /<event>([^<]*)<\/event>/.exec(text);
	return match?.[1] ?? 'sitemap.generated';
}

/** Sends `body` as Sitemap.xml would: signed with SECRET, its event named in X-Sitemap-Event. */
function signed(body: Buffer | string, overrides: Partial<DeliverySetup> = {}): Promise<DeliveryOutcome> {
	const xml = body.toString().trimStart().startsWith('<');
	return deliver(node, {
		body,
		headers: {
			'content-type': xml ? 'application/xml' : 'application/json',
			'x-sitemap-signature': sign(body),
			'x-sitemap-event': eventOf(body),
		},
		credentials: { webhookSecret: SECRET },
		...overrides,
	});
}

function jsonDelivery(id: unknown, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		...(id === undefined ? {} : { id }),
		event: 'sitemap.generated',
		timestamp: '2025-01-15T08:32:14Z',
		data: { sitemap_url: 'https://example.com/sitemap.xml', total_urls: 1 },
		...extra,
	});
}

function expectStarted(outcome: DeliveryOutcome): void {
	expect(outcome.status).toBe(200);
	expect(outcome.responseBody).toEqual({ received: true });
	expect(outcome.items).toHaveLength(1);
}

function expectNothingStarted(outcome: DeliveryOutcome, status: number, body: unknown): void {
	expect(outcome.status).toBe(status);
	expect(outcome.responseBody).toEqual(body);
	expect(outcome.items).toBeUndefined();
	expect(outcome.result.workflowData).toBeUndefined();
}

describe('SitemapXmlTrigger description', () => {
	it('offers the five events of the documentation, all selected by default', () => {
		const property = node.description.properties.find((p) => p.name === 'events');
		const values = property?.options?.map((o) => ('value' in o ? o.value : undefined));
		expect([...(values ?? [])].sort()).toEqual([...events].sort());
		expect([...((property?.default as string[]) ?? [])].sort()).toEqual([...events].sort());
	});

});

describe('SitemapXmlTrigger webhook()', () => {
	describe.each(events)('the %s delivery', (event) => {
		const json = fixture('sitemapxml', `${event}.json`);
		const xml = fixture('sitemapxml', `${event}.xml`);

		it.each(formats)('in %s starts the workflow with one item and answers 200', async (format) => {
			const outcome = await signed(format === 'json' ? json : xml);
			expectStarted(outcome);
			expect(outcome.result.noWebhookResponse).toBeUndefined();
			expect(outcome.items?.[0].event).toBe(event);
			expect(outcome.items?.[0]).not.toHaveProperty('signature');
		});

		it('gives the same item in XML as in JSON', async () => {
			const fromJson = await signed(json);
			const fromXml = await signed(xml);
			const { signature: _signature, ...expected } = JSON.parse(json.toString('utf8')) as IDataObject;
			expect(fromJson.items).toEqual([expected]);
			expect(fromXml.items).toEqual(fromJson.items);
		});

	});

	describe('the XML form', () => {
		it('gives numbers as numbers, arrays as arrays and field names unchanged', async () => {
			const outcome = await signed(fixture('sitemapxml', 'sitemap.generated.xml'));
			const item = outcome.items?.[0] as IDataObject;
			expect(Object.keys(item).sort()).toEqual(['data', 'event', 'id', 'timestamp']);
			const data = item.data as IDataObject;
			expect(Object.keys(data).sort()).toEqual(['sitemap_url', 'size_bytes', 'submitted_to', 'total_urls', 'version']);
			expect(data.total_urls).toBe(1247);
			expect(data.size_bytes).toBe(84920);
			expect(data.version).toBe('0.9');
			expect(data.submitted_to).toEqual(['google', 'bing']);
		});

		it('gives an array of objects with typed fields for crawl.error', async () => {
			const outcome = await signed(fixture('sitemapxml', 'crawl.error.xml'));
			const data = outcome.items?.[0].data as IDataObject;
			expect(data.error_count).toBe(3);
			expect(data.errors).toEqual([
				{ url: 'https://example.com/old-page', status_code: 404, reason: 'Not Found' },
				{
					url: 'https://example.com/search?q=shoes&page=2',
					status_code: 503,
					reason: 'Service Unavailable: response time > 30s',
				},
				{ url: 'https://example.com/private/', status_code: 403, reason: 'Blocked by robots.txt rule "Disallow: /private/"' },
			]);
		});

		it('reads an array written as repeated elements like one written in a wrapper', async () => {
			const repeated =
				'<webhook><id>whk_repeated</id><event>sitemap.generated</event><timestamp>2025-01-15T08:32:14Z</timestamp>' +
				'<data><sitemap_url>https://example.com/sitemap.xml</sitemap_url><total_urls>1247</total_urls>' +
				'<submitted_to>google</submitted_to><submitted_to>bing</submitted_to></data></webhook>';
			const wrapped = repeated
				.replace('<submitted_to>google</submitted_to><submitted_to>bing</submitted_to>', '<submitted_to><e>google</e><e>bing</e></submitted_to>');
			const fromRepeated = await signed(repeated);
			const fromWrapped = await signed(wrapped);
			expectStarted(fromRepeated);
			expect((fromRepeated.items?.[0].data as IDataObject).submitted_to).toEqual(['google', 'bing']);
			expect(fromRepeated.items).toEqual(fromWrapped.items);
		});

		it('is recognised by its first character, whatever the content type says', async () => {
			const body = Buffer.concat([Buffer.from('\uFEFF\n  '), fixture('sitemapxml', 'quota.warning.xml')]);
			const outcome = await signed(body, {
				headers: {
					'content-type': 'application/json',
					'x-sitemap-signature': sign(body),
					'x-sitemap-event': 'quota.warning',
				},
			});
			expectStarted(outcome);
			expect((outcome.items?.[0].data as IDataObject).percent_used).toBe(92.5);
		});

		describe('a body of more than twice CHUNK_BYTES, read in chunks', () => {
			/** A crawl.error delivery of at least `bytes`, its records' texts filled with `text` once each. */
			const largeCrawlError = (bytes: number, text: string) => {
				const record = `<error><url>https://example.com/${text}</url><status_code>404</status_code><reason>${text}</reason></error>`;
				const head = '<webhook><id>whk_large</id><event>crawl.error</event><timestamp>2025-01-15T08:32:14Z</timestamp><data><errors>';
				const tail = '</errors></data></webhook>';
				const filler = '<error><url>https://example.com/p</url><status_code>404</status_code><reason>Not Found</reason></error>';
				const count = Math.ceil((bytes - head.length - tail.length - Buffer.byteLength(record)) / filler.length);
				return Buffer.from(`${head}${filler.repeat(count)}${record}${tail}`);
			};
			const lastError = (outcome: DeliveryOutcome) => {
				const errors = (outcome.items?.[0].data as IDataObject).errors as IDataObject[];
				return errors[errors.length - 1];
			};
			/** The item's data as the body's whole text, decoded at once, reads. */
			const readWhole = (body: Buffer) => xmlToObject(body.toString('utf8'), SITEMAP_XML_FIELD_TYPES).data;

			it.each<[string, string]>([
				['a character of two bytes', 'caf\u00e9'],
				['a character of three bytes', '\u20ac 5'],
				['a character of four bytes', 'rocket \u{1F680}'],
			])('reads %s in every record of a body read in chunks as the whole text', async (_name, text) => {
				const record = `<error><url>https://example.com/${text}</url><status_code>404</status_code><reason>${text}</reason></error>`;
				const body = Buffer.from(`<webhook><id>whk_large</id><event>crawl.error</event><data><errors>${record.repeat(Math.ceil((3 * CHUNK_BYTES) / Buffer.byteLength(record)))}</errors></data></webhook>`);
				expect(xmlTextChunks(body).length).toBeGreaterThan(1);
				const outcome = await signed(body);
				expectStarted(outcome);
				expect(outcome.items?.[0].data).toEqual(readWhole(body));
				expect(lastError(outcome)).toEqual({ url: `https://example.com/${text}`, status_code: 404, reason: text });
			});

			it('reads bytes that are not UTF-8 as UTF-8 does, each as U+FFFD, also right before a chunk starts', async () => {
				const filler = Buffer.from('<error><url>https://example.com/p</url><status_code>404</status_code><reason>Not Found</reason></error>');
				const head = Buffer.concat([
					Buffer.from('<webhook><id>whk_large</id><event>crawl.error</event><data><errors><error><url>'),
					Buffer.from([0xff, 0x80]),
					Buffer.from('</url></error>'),
				]);
				const before = Buffer.concat([head, ...Array(Math.floor((CHUNK_BYTES - head.length - 200) / filler.length)).fill(filler)]);
				// A reason whose text runs past CHUNK_BYTES and ends in a cut-off character: the first chunk
				// ends right after those bytes, before </reason>.
				const reason = Buffer.concat([
					Buffer.from('<error><reason>'),
					Buffer.from('x'.repeat(CHUNK_BYTES - before.length)),
					Buffer.from([0xe2, 0x82]),
					Buffer.from('</reason></error>'),
				]);
				const after = Buffer.concat([...Array(Math.ceil((2 * CHUNK_BYTES) / filler.length)).fill(filler), Buffer.from('</errors></data></webhook>')]);
				const body = Buffer.concat([before, reason, after]);
				expect(xmlTextChunks(body)[0].endsWith('x\ufffd')).toBe(true);
				const outcome = await signed(body);
				expectStarted(outcome);
				expect(outcome.items?.[0].data).toEqual(readWhole(body));
				const errors = (outcome.items?.[0].data as IDataObject).errors as IDataObject[];
				expect(errors[0].url).toBe('\ufffd\ufffd');
				expect(errors.find((error) => typeof error.reason === 'string' && error.reason.startsWith('x'))?.reason).toMatch(/^x+\ufffd$/);
			});

			it('reads as XML a body whose first chunk is white space', async () => {
				const xml = fixture('sitemapxml', 'quota.warning.xml');
				const body = Buffer.concat([Buffer.from(' \n'.repeat(CHUNK_BYTES)), xml]);
				expect(xmlTextChunks(body)[0].trim()).toBe('');
				const outcome = await signed(body, {
					headers: { 'content-type': 'application/xml', 'x-sitemap-signature': sign(body), 'x-sitemap-event': 'quota.warning' },
				});
				expectStarted(outcome);
				expect((outcome.items?.[0].data as IDataObject).percent_used).toBe(92.5);
			});

			it('reads as JSON a body of JSON that has < in it past CHUNK_BYTES', async () => {
				const reasons = Array.from({ length: 3000 }, (_, index) => ({ url: `https://example.com/${index}`, status_code: 404, reason: '<blocked>' }));
				const body = Buffer.from(JSON.stringify({ id: 'whk_json', event: 'crawl.error', timestamp: new Date().toISOString(), data: { errors: reasons } }));
				expect(xmlTextChunks(body).length).toBeGreaterThan(1);
				const outcome = await signed(body, {
					headers: { 'content-type': 'text/plain', 'x-sitemap-signature': sign(body), 'x-sitemap-event': 'crawl.error' },
				});
				expectStarted(outcome);
				expect((outcome.items?.[0].data as IDataObject).errors).toEqual(reasons);
			});

			it('starts the workflow with the same item as the body in JSON', async () => {
				const xml = largeCrawlError(1024 * 1024, 'plain text');
				const outcome = await signed(xml);
				expectStarted(outcome);
				const errors = (outcome.items?.[0].data as IDataObject).errors as IDataObject[];
				expect(errors[0]).toEqual({ url: 'https://example.com/p', status_code: 404, reason: 'Not Found' });
				expect(lastError(outcome)).toEqual({ url: 'https://example.com/plain text', status_code: 404, reason: 'plain text' });
				const json = Buffer.from(JSON.stringify({ ...outcome.items?.[0], id: 'whk_large_json' }));
				const fromJson = await signed(json);
				expectStarted(fromJson);
				expect({ ...fromJson.items?.[0], id: 'whk_large' }).toEqual(outcome.items?.[0]);
			});
		});

		it.each<[string, string]>([
			['malformed XML', '<webhook><id>whk_1</id><event>sitemap.generated</event><data></webhook>'],
			['XML with a bare ampersand', '<webhook><event>sitemap.generated</event><data><sitemap_url>a&b</sitemap_url></data></webhook>'],
			['XML with text outside the root', '<webhook><event>sitemap.generated</event></webhook> trailing'],
			['XML with a DOCTYPE', '<!DOCTYPE webhook><webhook><id>whk_1</id><event>sitemap.generated</event></webhook>'],
			[
				'XML with an entity declaration',
				'<!DOCTYPE webhook [<!ENTITY e "sitemap.generated">]><webhook><event>&e;</event></webhook>',
			],
			['XML without an event', '<webhook><id>whk_1</id><data/></webhook>'],
			['XML whose event has children', '<webhook><event><name>sitemap.generated</name></event></webhook>'],
		])('refuses verified %s with 400 and starts nothing', async (_name, body) => {
			const outcome = await signed(body, {
				headers: { 'x-sitemap-signature': sign(body), 'x-sitemap-event': 'sitemap.generated' },
			});
			expectNothingStarted(outcome, 400, NOT_UNDERSTOOD);
			expect(outcome.logs.find((l) => l.level === 'warn')?.message).toContain('refused a verified delivery');
		});
	});

	describe('refuses with 401 a signature Sitemap.xml does not send', () => {
		const body = fixture('sitemapxml', 'sitemap.generated.json');
		const xml = fixture('sitemapxml', 'sitemap.generated.xml');
		const digest = hmacSha256(SECRET, body);

		it.each<[string, Partial<DeliverySetup>, string]>([
			['the XML form signed as the JSON form', { body: xml, headers: { 'X-Sitemap-Signature': sign(body) } }, 'does not match'],
			['a bare hex digest without sha256=', { headers: { 'X-Sitemap-Signature': digest } }, 'expected format'],
			['a base64 digest after sha256=', { headers: { 'X-Sitemap-Signature': `sha256=${hmacSha256(SECRET, body, 'base64')}` } }, 'expected format'],
			['the docs\' placeholder signature', { headers: { 'X-Sitemap-Signature': 'sha256=a8f3k9d2m1p7x4q6...' } }, 'expected format'],
			['the body\'s own signature field', { headers: { 'X-Sitemap-Signature': JSON.parse(body.toString('utf8')).signature } }, 'does not match'],
		])('%s', async (_name, overrides, reason) => {
			expectRefused(await signed(body, overrides), 401, 'Sitemap.xml', reason);
		});
	});

	describe('duplicate deliveries', () => {
		it('starts once for the same delivery sent twice, answering 200 both times and saying why', async () => {
			const staticData: IDataObject = {};
			const body = fixture('sitemapxml', 'sitemap.generated.json');
			expectStarted(await signed(body, { staticData }));
			const retry = await signed(body, { staticData });
			expectNothingStarted(retry, 200, { received: true });
			expect(retry.logs.some((l) => l.message.includes('already accepted'))).toBe(true);
			expect(rememberedCount(staticData)).toBe(1);
			expect(Object.values(staticData)).toEqual([expect.objectContaining({ ids: ['whk_2x9k4m8p1q7r3v5z'] })]);
		});

		it('drops a retry sent in the other format: the id is what counts', async () => {
			const staticData: IDataObject = {};
			expectStarted(await signed(fixture('sitemapxml', 'crawl.error.json'), { staticData }));
			expectNothingStarted(await signed(fixture('sitemapxml', 'crawl.error.xml'), { staticData }), 200, { received: true });
		});

		it('deduplicates by event_id when there is no id', async () => {
			const staticData: IDataObject = {};
			const body = jsonDelivery(undefined, { event_id: 'evt_123' });
			const first = await signed(body, { staticData });
			expectStarted(first);
			expect(first.items?.[0].event_id).toBe('evt_123');
			expectNothingStarted(await signed(body, { staticData }), 200, { received: true });
		});

		it('falls back to event_id when id is an empty string', async () => {
			const staticData: IDataObject = {};
			const body = jsonDelivery('', { event_id: 'evt_789' });
			expectStarted(await signed(body, { staticData }));
			expectNothingStarted(await signed(body, { staticData }), 200, { received: true });
		});

		it('deduplicates by event_id in XML too', async () => {
			const staticData: IDataObject = {};
			const body = '<webhook><event_id>evt_456</event_id><event>quota.warning</event><data><used>1</used></data></webhook>';
			expectStarted(await signed(body, { staticData }));
			expectNothingStarted(await signed(body, { staticData }), 200, { received: true });
		});

		it('treats a numeric id like the same id written as text', async () => {
			const staticData: IDataObject = {};
			expectStarted(await signed(jsonDelivery(12345), { staticData }));
			const xml = '<webhook><id>12345</id><event>sitemap.generated</event><data/></webhook>';
			expectNothingStarted(await signed(xml, { staticData }), 200, { received: true });
		});

		it('starts different ids', async () => {
			const staticData: IDataObject = {};
			expectStarted(await signed(jsonDelivery('whk_a'), { staticData }));
			expectStarted(await signed(jsonDelivery('whk_b'), { staticData }));
			expect(rememberedCount(staticData)).toBe(2);
		});

		it.each<[string, unknown]>([
			['no id', undefined],
			['an empty id', ''],
			['an id that is an object', { value: 'whk_a' }],
			['a null id', null],
		])('recognises a delivery with %s by its exact bytes: the same bytes start once, other bytes start', async (_name, id) => {
			const staticData: IDataObject = {};
			const body = jsonDelivery(id);
			expectStarted(await signed(body, { staticData }));
			for (let attempt = 0; attempt < 2; attempt++) expectNothingStarted(await signed(body, { staticData }), 200, ACKNOWLEDGED);
			expectStarted(await signed(body.replace('"event"', ' "event"'), { staticData }));
			expect(rememberedCount(staticData)).toBe(2);
		});

		it('recognises an XML delivery without id by its exact bytes', async () => {
			const staticData: IDataObject = {};
			const body = '<webhook><event>sitemap.updated</event><data><urls_added>1</urls_added></data></webhook>';
			expectStarted(await signed(body, { staticData }));
			expectNothingStarted(await signed(body, { staticData }), 200, ACKNOWLEDGED);
			expectStarted(await signed(body.replace('<urls_added>1', '<urls_added>2'), { staticData }));
		});

		it(`keeps at most MAX_REMEMBERED_DELIVERIES (${MAX_REMEMBERED_DELIVERIES}) after 6,000 distinct deliveries`, async () => {
			const staticData: IDataObject = {};
			const total = MAX_REMEMBERED_DELIVERIES + 1000;
			let started = 0;
			for (let index = 0; index < total; index++) {
				const outcome = await signed(jsonDelivery(`whk_${index}`), { staticData });
				if (outcome.items?.length === 1) started++;
			}
			expect(started).toBe(total);
			expect(rememberedCount(staticData)).toBe(MAX_REMEMBERED_DELIVERIES);
			// The newest is still dropped; the first, forgotten, would start again.
			expect((await signed(jsonDelivery(`whk_${total - 1}`), { staticData })).items).toBeUndefined();
			expectStarted(await signed(jsonDelivery('whk_0'), { staticData }));
		});
	});
});
