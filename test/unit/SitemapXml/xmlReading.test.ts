import fc from 'fast-check';
import { SITEMAP_XML_FIELD_TYPES, sitemapXmlProvider } from '../../../nodes/SitemapXml/SitemapXmlProvider';
import { bodyText, isAsciiOnly, MAX_DEPTH, parseXml, xmlToObject, XmlSyntaxError } from '../../../nodes/SitemapXml/xmlEnvelope';
import * as reference from './referenceXmlEnvelope';

/**
 * The reader's shortcuts (an element of leaves read in one step where its markup repeats; a
 * large ASCII body decoded as Latin-1) checked against the reader before them, kept unchanged in
 * referenceXmlEnvelope.ts: the same bytes give the same item, or are refused alike.
 */

const parseBody = sitemapXmlProvider.parseBody as (rawBody: Buffer, headers: Record<string, unknown>) => unknown;

/** What the body parser gives now: the item, or how it refused. */
function current(bytes: Buffer): unknown {
	return outcome(() => parseBody(bytes, {}));
}

/** What it gave before: the whole body decoded as UTF-8, then read by the reference reader. */
function before(bytes: Buffer): unknown {
	return outcome(() => {
		const text = bytes.toString('utf8');
		return text.trimStart().startsWith('<') ? reference.xmlToObject(text, SITEMAP_XML_FIELD_TYPES) : JSON.parse(text);
	});
}

function outcome(read: () => unknown): unknown {
	try {
		const item = read();
		// Field order too: JSON.stringify lists own fields (__proto__ included) in order.
		return { item, order: JSON.stringify(item) };
	} catch (error) {
		if (error instanceof XmlSyntaxError || error instanceof reference.XmlSyntaxError) return 'refused (XML)';
		if (error instanceof SyntaxError) return 'refused (JSON)';
		throw error;
	}
}

const toObject = (xml: string) => xmlToObject(xml, SITEMAP_XML_FIELD_TYPES);
const referenceObject = (xml: string) => outcome(() => reference.xmlToObject(xml, SITEMAP_XML_FIELD_TYPES));

describe('isAsciiOnly', () => {
	it('answers whether every byte is below 0x80, wherever the bytes start in their buffer', () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 80 }).map((bytes) => bytes.map((byte) => byte & 0x7f)),
				fc.nat({ max: 7 }),
				fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { nil: undefined }),
				(ascii, offset, high) => {
					const buffer = new Uint8Array(offset + ascii.length + 3);
					const bytes = buffer.subarray(offset, offset + ascii.length);
					bytes.set(ascii);
					if (high !== undefined && bytes.length > 0) bytes[high[0] % bytes.length] = high[1];
					// Bytes above 0x7f just outside the view are not its own.
					buffer.fill(0xff, 0, offset);
					buffer.fill(0xff, offset + ascii.length);
					expect(isAsciiOnly(bytes)).toBe(bytes.every((byte) => byte < 0x80));
				},
			),
			{ numRuns: 2000 },
		);
	});
});

describe('bodyText', () => {
	const LARGE = 1024 * 1024;

	it('gives what toString("utf8") gives, for a large body of ASCII or not, valid UTF-8 or not', () => {
		fc.assert(
			fc.property(
				fc.nat({ max: 3 }),
				fc.array(fc.tuple(fc.nat({ max: LARGE - 1 }), fc.constantFrom([0xc3, 0xa9], [0xf0, 0x9f, 0x98, 0x80], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80])), {
					maxLength: 3,
				}),
				(offset, insertions) => {
					const backing = Buffer.alloc(offset + LARGE, 'a');
					const bytes = backing.subarray(offset);
					for (const [at, inserted] of insertions) bytes.set(inserted.slice(0, LARGE - at), at);
					expect(bodyText(bytes)).toBe(bytes.toString('utf8'));
				},
			),
			{ numRuns: 25 },
		);
	});

	it('decodes a small body as UTF-8 as it stands', () => {
		const bytes = Buffer.from([0x3c, 0x77, 0x3e, 0xc3, 0xa9, 0xff, 0x3c, 0x2f, 0x77, 0x3e]);
		expect(bodyText(bytes)).toBe('<w>é\uFFFD</w>');
	});
});

describe('elements of leaves read in one step', () => {
	const record = (url: string, code: string, reason: string) =>
		`<error><url>${url}</url><status_code>${code}</status_code><reason>${reason}</reason></error>`;
	const envelope = (records: string) => `<webhook><event>crawl.error</event><data><errors>${records}</errors></data></webhook>`;

	it('reads a long array of records as the reference reader does', () => {
		const records = Array.from({ length: 200 }, (_, index) => record(`https://example.com/${index}`, String(400 + (index % 100)), index % 2 ? 'Not Found' : ''));
		const xml = envelope(records.join(''));
		expect(outcome(() => toObject(xml))).toEqual(referenceObject(xml));
		const errors = (toObject(xml).data as { errors: Array<Record<string, unknown>> }).errors;
		expect(errors).toHaveLength(200);
		expect(errors[199]).toEqual({ url: 'https://example.com/199', status_code: 499, reason: 'Not Found' });
	});

	it.each<[string, string]>([
		['an entity in a text', record('a&amp;b', '404', 'x')],
		['a character reference in a number', record('a', '&#52;04', 'x')],
		['a comment in a text', record('a<!-- c -->b', '404', 'x')],
		['CDATA in a text', record('<![CDATA[<a>]]>', '404', 'x')],
		['an attribute', '<error kind="x"><url>a</url><status_code>404</status_code><reason>x</reason></error>'],
		['an attribute on a child', '<error><url lang="en">a</url><status_code>404</status_code><reason>x</reason></error>'],
		['a self-closing child', '<error><url/><status_code>404</status_code><reason>x</reason></error>'],
		['an empty child', '<error><url></url><status_code>404</status_code><reason>x</reason></error>'],
		['a missing child', '<error><url>a</url><reason>x</reason></error>'],
		['an extra child', '<error><url>a</url><status_code>404</status_code><reason>x</reason><extra>y</extra></error>'],
		['a child of a child', '<error><url><host>a</host></url><status_code>404</status_code><reason>x</reason></error>'],
		['a child twice', '<error><url>a</url><url>b</url><status_code>404</status_code><reason>x</reason></error>'],
		['white space in the tags', '<error ><url>a</url ><status_code>404</status_code><reason>x</reason></error>'],
		['white space between the children', '<error>\n  <url>a</url>\n  <status_code>404</status_code>\n  <reason>x</reason>\n</error>'],
		['text beside the children', '<error>t<url>a</url><status_code>404</status_code><reason>x</reason></error>'],
		['text after the children', '<error><url>a</url><status_code>404</status_code><reason>x</reason>t</error>'],
		['a bare ampersand', record('a & b', '404', 'x')],
		['a mismatched closing tag', '<error><url>a</uri><status_code>404</status_code><reason>x</reason></error>'],
		['a number with spaces', record('a', ' 404 ', 'x')],
		['a number that is not one', record('a', '4O4', 'x')],
		['a long number', record('a', '12345678901234567890', 'x')],
		['a fraction', record('a', '-0.5e3', 'x')],
		['unclosed', '<error><url>a</url><status_code>404'],
		['a processing instruction', '<error><url>a</url><?pi?><status_code>404</status_code><reason>x</reason></error>'],
		['text between two records', `${record('a', '404', 'x')}stray${record('b', '404', 'y')}`],
		['a reference between two records', `${record('a', '404', 'x')}&#32;${record('b', '404', 'y')}`],
		['a no-break space between two records', `${record('a', '404', 'x')}\u00A0${record('b', '404', 'y')}`],
	])('reads records with %s among others as the reference reader does', (_name, odd) => {
		const plain = Array.from({ length: 5 }, (_, index) => record(`u${index}`, '404', 'r'));
		for (const at of [0, 2, 5]) {
			const records = [...plain.slice(0, at), odd, ...plain.slice(at)];
			for (const gap of ['', '\n']) {
				const xml = envelope(records.join(gap));
				expect(outcome(() => toObject(xml))).toEqual(referenceObject(xml));
			}
		}
	});

	it('reads records whose fields are arrays or named __proto__ as the reference reader does', () => {
		for (const fields of ['<submitted_to>a</submitted_to><url>u</url>', '<url>u</url><errors>e</errors>', '<__proto__>p</__proto__><url>u</url>', '<url>u</url><constructor>c</constructor>']) {
			const xml = `<w><data><list>${`<item>${fields}</item>`.repeat(4)}</list><errors>${`<item>${fields}</item>`.repeat(4)}</errors></data></w>`;
			expect(outcome(() => toObject(xml))).toEqual(referenceObject(xml));
		}
	});

	it('keeps the depth limit: records whose fields are at MAX_DEPTH are read, one deeper refused', () => {
		const wrap = (depth: number, inner: string) => {
			let xml = inner;
			for (let level = depth - 1; level >= 0; level--) xml = `<e${level}>${xml}</e${level}>`;
			return xml;
		};
		const records = record('a', '1', 'b').repeat(4);
		// The same records first where they are shallow, so that their form is known when deep, and
		// a leaf before the deep ones (a form is read where its parent already has a child).
		// The deep records' fields are at depth (wrappers + 3).
		const atLimit = `<w><errors>${records}</errors>${wrap(MAX_DEPTH - 3, `<first>1</first>${records}`)}</w>`;
		const tooDeep = `<w><errors>${records}</errors>${wrap(MAX_DEPTH - 2, `<first>1</first>${records}`)}</w>`;
		expect(() => toObject(atLimit)).not.toThrow();
		expect(outcome(() => toObject(atLimit))).toEqual(referenceObject(atLimit));
		expect(() => toObject(tooDeep)).toThrow(XmlSyntaxError);
		expect(() => reference.xmlToObject(tooDeep, SITEMAP_XML_FIELD_TYPES)).toThrow(reference.XmlSyntaxError);
	});

	it('reads pretty-printed records, with white space between them that varies, as the reference reader does', () => {
		const pretty = (index: number) =>
			`<error>\n    <url>u${index}</url>\n    <status_code>${400 + index}</status_code>\n    <reason>r</reason>\n  </error>`;
		const gaps = ['\n  ', '\n  ', '\n  ', '', ' ', '\n\t', '\n  ', '\r\n  ', '\n  ', '\n  '];
		const records = gaps.map((gap, index) => gap + pretty(index)).join('');
		for (const xml of [envelope(`${records}\n`), envelope(`${records}${pretty(99).replace('<reason>r</reason>', '<reason>r &amp; s</reason>')}`)]) {
			expect(outcome(() => toObject(xml))).toEqual(referenceObject(xml));
		}
		expect((toObject(envelope(records)).data as { errors: unknown[] }).errors).toHaveLength(gaps.length);
	});

	it('reads records with references between their tags as the reference reader does, where a later one differs', () => {
		// An encoded blank before the first child, then a text with a reference: read tag by tag.
		const odd = (text: string) => `<error>&#32;<url>${text}</url><status_code>1</status_code></error>`;
		for (const xml of [envelope(odd('a') + odd('b') + odd('c&amp;d') + odd('e')), envelope(odd('a') + odd('b') + odd('c') + '<error>&#32;<url>x</url></error>')]) {
			expect(outcome(() => toObject(xml))).toEqual(referenceObject(xml));
		}
	});

	it('reads the same record form in different arrays, at different depths', () => {
		const records = record('a', '1', 'b').repeat(3);
		const xml = `<w><errors>${records}</errors><data><errors>${records}</errors><more><errors>${records}<other>x</other>${records}</errors></more></data></w>`;
		expect(outcome(() => toObject(xml))).toEqual(referenceObject(xml));
		// The element tree, whose builder takes every element tag by tag, as before.
		expect(parseXml(xml)).toEqual(reference.parseXml(xml));
	});
});

describe('properties', () => {
	/** Texts, as bytes: plain, escaped, multi-byte UTF-8, a byte order mark, invalid UTF-8. */
	const TEXTS: Buffer[] = [
		'',
		' ',
		'404',
		' 7 ',
		'-1.5',
		'x',
		'Not Found',
		'https://example.com/some/page',
		'a &amp; b',
		'&#233;',
		'é',
		'日本語',
		'😀',
		'\u00A0',
		'\uFEFF',
		'a<!-- c -->b',
		'<![CDATA[c]]>',
		'&nbsp;',
	]
		.map((text) => Buffer.from(text))
		.concat([[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80, 0x3e]].map((bytes) => Buffer.from(bytes)));
	const FIELDS = ['url', 'status_code', 'reason', 'total_urls', 'submitted_to', '__proto__', 'tag', 'a', 'b', 'c', 'd', 'e', 'f'];
	const GAPS = ['', '', '', '\n', '\n  ', ' ', '<!-- g -->', '\u00A0'];

	/** A record: its element name, and its fields with their text (index into TEXTS). */
	const recordShape = fc.record({
		name: fc.constantFrom('error', 'item', 'errors'),
		// Up to 8 fields, mostly of different names (a record of 1 to 6 fields is built by its own literal).
		fields: fc.oneof(
			fc.uniqueArray(fc.tuple(fc.constantFrom(...FIELDS), fc.nat({ max: TEXTS.length - 1 })), { minLength: 1, maxLength: 8, selector: ([name]) => name }),
			fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.nat({ max: TEXTS.length - 1 })), { minLength: 1, maxLength: 4 }),
		),
		gap: fc.nat({ max: GAPS.length - 1 }),
	});

	function recordBytes(shape: { name: string; fields: Array<[string, number]>; gap: number }, textOf: (index: number) => Buffer): Buffer {
		const gap = GAPS[shape.gap];
		const parts: Buffer[] = [Buffer.from(`<${shape.name}>`)];
		for (const [field, text] of shape.fields) parts.push(Buffer.from(`${gap}<${field}>`), textOf(text), Buffer.from(`</${field}>`));
		parts.push(Buffer.from(`${gap}</${shape.name}>`));
		return Buffer.concat(parts);
	}

	type Drawn = typeof document extends fc.Arbitrary<infer T> ? T : never;
	const document = fc.record({
		shapes: fc.array(recordShape, { minLength: 1, maxLength: 3 }),
		// Each record: which shape, and perhaps one of its texts replaced.
		records: fc.array(fc.tuple(fc.nat(), fc.option(fc.nat({ max: TEXTS.length - 1 }), { nil: undefined })), { minLength: 1, maxLength: 30 }),
		between: fc.nat({ max: GAPS.length - 1 }),
		wrapper: fc.constantFrom('errors', 'submitted_to', 'list'),
		prolog: fc.constantFrom('', '\uFEFF', '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n', '  \n', '\u00A0'),
	});

	function documentBytes(drawn: Drawn): Buffer {
		const records = drawn.records.map(([pick, replaced]) => {
			const shape = drawn.shapes[pick % drawn.shapes.length];
			return recordBytes(shape, (text) => TEXTS[replaced ?? text]);
		});
		const between = Buffer.from(GAPS[drawn.between]);
		const body = Buffer.concat(records.flatMap((bytes, index) => (index === 0 ? [bytes] : [between, bytes])));
		return Buffer.concat([
			Buffer.from(`${drawn.prolog}<webhook><id>whk_1</id><data><${drawn.wrapper}>`),
			body,
			Buffer.from(`</${drawn.wrapper}></data></webhook>\n`),
		]);
	}

	it('reads any body of repeated records, valid UTF-8 or not, as the reference reader reads its UTF-8 decoding', () => {
		fc.assert(
			fc.property(document, (drawn) => {
				const bytes = documentBytes(drawn);
				expect(current(bytes)).toEqual(before(bytes));
			}),
			{ numRuns: 1500 },
		);
	});

	it('reads a body over 1 MB, ASCII or not, as the reference reader reads its UTF-8 decoding', () => {
		fc.assert(
			fc.property(document, fc.boolean(), (drawn, ascii) => {
				const one = documentBytes(drawn);
				// The records, repeated past 1 MB.
				const start = one.indexOf(`<${drawn.wrapper}>`) + drawn.wrapper.length + 2;
				const end = one.lastIndexOf(`</${drawn.wrapper}>`);
				const records = one.subarray(start, end);
				const copies = Math.ceil((1024 * 1024) / Math.max(1, records.length)) + 1;
				const bytes = Buffer.concat([one.subarray(0, start), ...Array.from({ length: copies }, () => records), one.subarray(end)]);
				// All ASCII: every byte of a multi-byte or invalid sequence becomes an x.
				if (ascii) for (let index = 0; index < bytes.length; index++) if (bytes[index] >= 0x80) bytes[index] = 0x78;
				expect(bytes.length).toBeGreaterThan(1024 * 1024);
				expect(current(bytes)).toEqual(before(bytes));
			}),
			{ numRuns: 12 },
		);
	});
});
