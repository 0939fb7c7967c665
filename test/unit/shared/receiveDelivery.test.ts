import { SitemarkTrigger } from '../../../nodes/Sitemark/SitemarkTrigger.node';
import { hmacSha256, signatureFor } from '../../support/signer';
import { deliver, fixture } from '../helpers/webhookContext';

const SECRET = 'shared-delivery-secret';
const node = new SitemarkTrigger();
const body = fixture('sitemark', 'job.completed.json');
const sent = JSON.parse(body.toString('utf8'));
// A marker no parse of `body` could produce: it shows which parse the item came from.
const hostBody = { ...sent, parsedBy: 'host' };

function withContentType(contentType: string | undefined) {
	return deliver(node, {
		body,
		headers: {
			'x-sitemark-signature': hmacSha256(SECRET, body),
			...(contentType === undefined ? {} : { 'content-type': contentType }),
		},
		credentials: { webhookSecret: SECRET },
		hostParsedBody: hostBody,
	});
}

describe('which parse of a verified body becomes the item', () => {
	it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset=UTF-8'])(
		'reuses the host’s JSON parse of the verified bytes for %s',
		async (contentType) => {
			const outcome = await withContentType(contentType);
			expect(outcome.items).toEqual([hostBody]);
		},
	);

	it.each([
		['another charset', 'application/json; charset=iso-8859-1'],
		['text/plain', 'text/plain'],
		['a form content type', 'application/x-www-form-urlencoded'],
		['an XML content type', 'application/xml'],
		['no content type', undefined],
	])('parses the raw bytes itself for %s', async (_name, contentType) => {
		const outcome = await withContentType(contentType);
		expect(outcome.status).toBe(200);
		expect(outcome.items).toEqual([sent]);
	});

	it('parses the raw bytes when the host left an empty object', async () => {
		const outcome = await deliver(node, {
			body,
			headers: { 'x-sitemark-signature': hmacSha256(SECRET, body), 'content-type': 'application/json' },
			credentials: { webhookSecret: SECRET },
			hostParsedBody: {},
		});
		expect(outcome.items).toEqual([sent]);
	});

	it('does not change the host’s object when it adds headers to the item', async () => {
		const host = { ...sent };
		const outcome = await deliver(node, {
			body,
			headers: { 'x-sitemark-signature': hmacSha256(SECRET, body), 'content-type': 'application/json' },
			credentials: { webhookSecret: SECRET },
			parameters: { options: { includeHeaders: true } },
			hostParsedBody: host,
		});
		expect(outcome.items?.[0].headers).toEqual({ 'content-type': 'application/json' });
		expect(host).not.toHaveProperty('headers');
	});
});

describe('an unexpected failure inside the trigger', () => {
	it('answers 500 without starting anything, and logs no request content', async () => {
		const staticData = {};
		Object.defineProperty(staticData, 'acceptedDeliveryIds', {
			get() {
				throw new TypeError('storage unavailable');
			},
		});
		const { SitemapXmlTrigger } = await import('../../../nodes/SitemapXml/SitemapXmlTrigger.node');
		const xmlBody = fixture('sitemapxml', 'sitemap.generated.xml');
		const outcome = await deliver(new SitemapXmlTrigger(), {
			body: xmlBody,
			headers: { 'x-sitemap-signature': signatureFor(SECRET, xmlBody, { prefix: 'sha256=' }), 'x-sitemap-event': 'sitemap.generated' },
			credentials: { webhookSecret: SECRET },
			staticData,
		});
		expect(outcome.status).toBe(500);
		expect(outcome.items).toBeUndefined();
		const errors = outcome.logs.filter((line) => line.level === 'error');
		expect(errors).toHaveLength(1);
		expect(errors[0].message).toContain('TypeError');
		expect(JSON.stringify(outcome.logs)).not.toContain('whk_');
	});
});

describe('a body n8n has not read before webhook() (typeVersion 1.1, a media type n8n does not parse)', () => {
	function unread(setup: { contentType?: string; reader?: true | 'fails'; readError?: Error; signature?: string }) {
		let reads = 0;
		const delivery = deliver(node, {
			body,
			headers: {
				'x-sitemark-signature': setup.signature ?? hmacSha256(SECRET, body),
				...(setup.contentType === undefined ? {} : { 'content-type': setup.contentType }),
			},
			credentials: { webhookSecret: SECRET },
			hostParsedBody: {},
			bodyReadOnRequest: setup.reader ?? true,
			readError: setup.readError,
			onBodyRead: () => reads++,
		});
		return delivery.then((outcome) => ({ ...outcome, reads }));
	}

	it.each([['application/octet-stream'], [undefined]])('has n8n read it once, then verifies and starts (%s)', async (contentType) => {
		const outcome = await unread({ contentType });
		expect(outcome.reads).toBe(1);
		expect(outcome.status).toBe(200);
		expect(outcome.items).toEqual([sent]);
	});

	it('refuses a forged body it had read, as any other', async () => {
		const outcome = await unread({ contentType: 'application/octet-stream', signature: signatureFor('not-the-secret', body) });
		expect(outcome.reads).toBe(1);
		expect(outcome.status).toBe(400);
		expect(outcome.items).toBeUndefined();
	});

	it('never asks for a multipart body, which n8n’s form parser has consumed: refused as unverifiable', async () => {
		const outcome = await unread({ contentType: 'multipart/form-data; boundary=x' });
		expect(outcome.reads).toBe(0);
		expect(outcome.status).toBe(400);
		expect(outcome.logs.map((line) => line.message)).toEqual([
			'Sitemark Trigger refused a delivery: the raw request body was not available to verify',
		]);
	});

	it('answers 413 when n8n’s reader finds the body over its size limit, and 400 when the read fails otherwise', async () => {
		const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
		const large = await unread({ contentType: 'application/octet-stream', reader: 'fails', readError: tooLarge });
		expect(large.status).toBe(413);
		expect(large.items).toBeUndefined();
		expect(large.logs.map((line) => line.message)).toEqual([
			'Sitemark Trigger refused a delivery: its body could not be read (larger than n8n accepts)',
		]);
		const aborted = await unread({ contentType: 'application/octet-stream', reader: 'fails' });
		expect(aborted.status).toBe(400);
		expect(aborted.logs.map((line) => line.message)).toEqual(['Sitemark Trigger refused a delivery: its body could not be read (Error)']);
	});
});
