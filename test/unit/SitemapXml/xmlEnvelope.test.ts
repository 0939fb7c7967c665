import fc from 'fast-check';
import { SITEMAP_XML_EVENTS, SITEMAP_XML_FIELD_TYPES } from '../../../nodes/SitemapXml/SitemapXmlProvider';
import { CHUNK_BYTES, MAX_DEPTH, parseXml, xmlTextChunks, xmlToObject, XmlSyntaxError } from '../../../nodes/SitemapXml/xmlEnvelope';
import type { XmlElement } from '../../../nodes/SitemapXml/xmlEnvelope';
import { fixture } from '../helpers/webhookContext';

const toObject = (xml: string) => xmlToObject(xml, SITEMAP_XML_FIELD_TYPES);

/** The XML example of Sitemap.xml's webhook documentation, exactly as published. */
const DOCS_EXAMPLE = `<webhook>
<id>whk_2x9k4m8p1q7r3v5z</id>
<event>sitemap.generated</event>
<timestamp>2025-01-15T08:32:14Z</timestamp>
<data>
<sitemap_url>https://example.com/sitemap.xml</sitemap_url>
<total_urls>1247</total_urls>
<version>0.9</version>
</data>
</webhook>`;

/** `depth` elements, each inside the one before, the innermost holding `text`. */
function nested(depth: number, text = 'x'): string {
	let open = '';
	let close = '';
	for (let level = 0; level < depth; level++) {
		open += `<e${level}>`;
		close = `</e${level}>` + close;
	}
	return open + text + close;
}

describe('xmlToObject', () => {
	it('reads the documentation\'s XML example into the envelope it describes', () => {
		expect(toObject(DOCS_EXAMPLE)).toEqual({
			id: 'whk_2x9k4m8p1q7r3v5z',
			event: 'sitemap.generated',
			timestamp: '2025-01-15T08:32:14Z',
			data: {
				sitemap_url: 'https://example.com/sitemap.xml',
				total_urls: 1247,
				version: '0.9',
			},
		});
	});

	it.each(['sitemap.generated', 'sitemap.updated', 'indexing.completed', 'crawl.error', 'quota.warning'])(
		'reads the %s XML fixture into what its JSON fixture holds',
		(event) => {
			const fromJson = JSON.parse(fixture('sitemapxml', `${event}.json`).toString('utf8')) as Record<string, unknown>;
			const fromXml = toObject(fixture('sitemapxml', `${event}.xml`).toString('utf8'));
			// The signature element is optional in the XML fixtures; the trigger drops it either way.
			delete fromJson.signature;
			delete fromXml.signature;
			expect(fromXml).toEqual(fromJson);
		},
	);

	describe('text', () => {
		it('decodes the five predefined entities', () => {
			expect(toObject('<w><a>&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</a></w>')).toEqual({ a: '<b> & "c" \'d\'' });
		});

		it('decodes decimal and hexadecimal character references, also outside the BMP', () => {
			expect(toObject('<w><a>&#65;&#x42;&#x63;&#233;&#x1F600;</a></w>')).toEqual({ a: 'ABcé\u{1F600}' });
		});

		it('takes CDATA as it stands, entities and markup included', () => {
			expect(toObject('<w><a><![CDATA[<b>&amp; & ]]></a></w>')).toEqual({ a: '<b>&amp; & ' });
		});

		it('joins text, CDATA and references around a comment', () => {
			expect(toObject('<w><a>one <!-- skipped <b> --><![CDATA[two]]> &amp; three</a></w>')).toEqual({
				a: 'one two & three',
			});
		});

		it('keeps surrounding whitespace of a text field', () => {
			expect(toObject('<w><a>  padded\n</a></w>')).toEqual({ a: '  padded\n' });
		});
	});

	describe('what is read past', () => {
		it('skips the XML declaration, processing instructions and comments around and inside the root', () => {
			const xml =
				'<?xml version="1.0" encoding="UTF-8"?>\n<!-- before -->\n<?style sheet?>\n' +
				'<w><!-- inside --><a>1</a><?pi inside?></w>\n<!-- after -->\n';
			expect(toObject(xml)).toEqual({ a: '1' });
		});

		it('skips a byte order mark at the start', () => {
			expect(toObject('\uFEFF<?xml version="1.0"?><w><a>b</a></w>')).toEqual({ a: 'b' });
		});

		it('ignores attributes, in either quotes, on open and self-closing tags', () => {
			const xml =
				'<webhook xmlns="urn:x" version=\'2\'><id type="string" >whk_1</id>' +
				'<data a="1" b = \'>\'><total_urls unit="urls">5</total_urls><flag on="yes"/></data></webhook>';
			expect(toObject(xml)).toEqual({ id: 'whk_1', data: { total_urls: 5, flag: '' } });
		});

		it('reads self-closing elements as empty text, and a self-closing root as no fields', () => {
			expect(toObject('<w><a/><b /><c></c></w>')).toEqual({ a: '', b: '', c: '' });
			expect(toObject('<w/>')).toEqual({});
		});

		it('accepts whitespace before the closing bracket of a closing tag', () => {
			expect(toObject('<w><a>1</a  ></w\n>')).toEqual({ a: '1' });
		});
	});

	describe('numbers', () => {
		it('turns the text of a number field into a number', () => {
			expect(
				toObject('<w><total_urls>1247</total_urls><size_bytes> 84920 </size_bytes><percent_used>92.5</percent_used><used>-3</used><limit>1e3</limit></w>'),
			).toEqual({ total_urls: 1247, size_bytes: 84920, percent_used: 92.5, used: -3, limit: 1000 });
		});

		it('leaves the text of other fields as a string, even when it looks like a number', () => {
			expect(toObject('<w><version>0.9</version><id>12345</id><timestamp>2025</timestamp></w>')).toEqual({
				version: '0.9',
				id: '12345',
				timestamp: '2025',
			});
		});

		it.each(['12abc', '', '0x10', '01', '1.', 'Infinity', 'NaN', '1 2'])(
			'leaves "%s" in a number field as the text sent',
			(text) => {
				expect(toObject(`<w><total_urls>${text}</total_urls></w>`)).toEqual({ total_urls: text });
			},
		);

		it('types number fields inside array items', () => {
			expect(
				toObject('<w><errors><e><url>u</url><status_code>404</status_code></e><e><status_code>x</status_code></e></errors></w>'),
			).toEqual({ errors: [{ url: 'u', status_code: 404 }, { status_code: 'x' }] });
		});
	});

	describe('arrays', () => {
		it('reads a wrapper element whose children are the items, whatever their name', () => {
			expect(toObject('<w><submitted_to><engine>google</engine><name>bing</name></submitted_to></w>')).toEqual({
				submitted_to: ['google', 'bing'],
			});
		});

		it('reads repeated elements as the items, with no wrapper', () => {
			expect(
				toObject('<w><data><submitted_to>google</submitted_to><total_urls>3</total_urls><submitted_to>bing</submitted_to></data></w>'),
			).toEqual({ data: { submitted_to: ['google', 'bing'], total_urls: 3 } });
		});

		it('reads repeated object elements as an array of objects', () => {
			expect(
				toObject(
					'<w><errors><url>a</url><status_code>404</status_code></errors><errors><url>b</url><status_code>500</status_code></errors></w>',
				),
			).toEqual({ errors: [{ url: 'a', status_code: 404 }, { url: 'b', status_code: 500 }] });
		});

		it('reads one element with text as an array of one', () => {
			expect(toObject('<w><submitted_to>google</submitted_to></w>')).toEqual({ submitted_to: ['google'] });
		});

		it.each(['<submitted_to></submitted_to>', '<submitted_to/>', '<submitted_to>\n  </submitted_to>', '<submitted_to><!-- none --></submitted_to>'])(
			'reads an empty wrapper %s as []',
			(element) => {
				expect(toObject(`<w>${element}</w>`)).toEqual({ submitted_to: [] });
			},
		);

		it('makes any repeated field an array, listed or not', () => {
			expect(toObject('<w><tag>a</tag><tag>b</tag></w>')).toEqual({ tag: ['a', 'b'] });
		});

		it('keeps a non-array element with children as an object', () => {
			expect(toObject('<w><data><a>1</a></data></w>')).toEqual({ data: { a: '1' } });
		});
	});

	it('reads an envelope the same after documents of many other names, long ones included (names are kept from one document to the next)', () => {
		const before = toObject(DOCS_EXAMPLE);
		const long = `n${'x'.repeat(100)}`;
		for (let index = 0; index < 2000; index++) {
			const name = `f${index.toString(36)}`;
			expect(toObject(`<w><${name}>${index}</${name}><${long}>${index}</${long}><total_urls>${index}</total_urls></w>`)).toEqual({
				[name]: String(index),
				[long]: String(index),
				total_urls: index,
			});
		}
		expect(toObject(DOCS_EXAMPLE)).toEqual(before);
	});

	it('makes an element named __proto__ an own field, as JSON.parse does, and leaves the prototype alone', () => {
		const fromXml = toObject('<w><event>sitemap.generated</event><__proto__><id>whk_x</id></__proto__></w>');
		const fromJson = JSON.parse('{"event":"sitemap.generated","__proto__":{"id":"whk_x"}}') as object;
		expect(Object.getPrototypeOf(fromXml)).toBe(Object.prototype);
		expect((fromXml as { id?: unknown }).id).toBeUndefined();
		expect(Object.keys(fromXml)).toEqual(Object.keys(fromJson));
	});
});

describe('parseXml', () => {
	it('gives the element tree, text only in leaves', () => {
		expect(parseXml('<w><a>1</a><b><c/></b></w>')).toEqual({
			name: 'w',
			text: '',
			children: [
				{ name: 'a', text: '1', children: [] },
				{ name: 'b', text: '', children: [{ name: 'c', text: '', children: [] }] },
			],
		});
	});

	it(`accepts nesting of exactly MAX_DEPTH (${MAX_DEPTH}) elements`, () => {
		let element = parseXml(nested(MAX_DEPTH, 'deep'));
		let depth = 1;
		while (element.children.length > 0) {
			element = element.children[0];
			depth++;
		}
		expect(depth).toBe(MAX_DEPTH);
		expect(element.text).toBe('deep');
	});

	describe('refuses, with XmlSyntaxError', () => {
		const billionLaughs = [
			'<?xml version="1.0"?>',
			'<!DOCTYPE lolz [',
			' <!ENTITY lol "lol">',
			' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
			' <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">',
			' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">',
			' <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">',
			' <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">',
			' <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">',
			' <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">',
			' <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">',
			' <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">',
			']>',
			'<lolz>&lol9;</lolz>',
		].join('\n');

		it.each<[string, string]>([
			['a DOCTYPE', '<!DOCTYPE webhook><webhook><id>1</id></webhook>'],
			['a DOCTYPE with an external entity', '<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w><a>&xxe;</a></w>'],
			['the billion-laughs document', billionLaughs],
			['an ENTITY declaration without a DOCTYPE', '<!ENTITY a "b"><w><a>&a;</a></w>'],
			['a declaration inside the root', '<w><!ELEMENT w ANY><a>1</a></w>'],
			['an unknown entity', '<w><a>&nbsp;</a></w>'],
			['an entity without its semicolon', '<w><a>&amp</a></w>'],
			['a bare ampersand', '<w><a>fish & chips</a></w>'],
			['an empty character reference', '<w><a>&#;</a></w>'],
			['&#0;', '<w><a>&#0;</a></w>'],
			['&#x0;', '<w><a>&#x0;</a></w>'],
			['&#xD800; (a lone surrogate)', '<w><a>&#xD800;</a></w>'],
			['&#57343; (a lone surrogate, decimal)', '<w><a>&#57343;</a></w>'],
			['&#x110000; (beyond Unicode)', '<w><a>&#x110000;</a></w>'],
			['a character reference of too many digits', '<w><a>&#00000000065;</a></w>'],
			['mismatched tags', '<w><a><b>1</a></b></w>'],
			['a closing tag of another name', '<w><a>1</b></w>'],
			['a closing tag with nothing open', '</w>'],
			['a stray closing tag after the root', '<w><a>1</a></w></w>'],
			['an unclosed element', '<w><a>1</a>'],
			['an unclosed child', '<w><a>1</w>'],
			['an unclosed comment', '<w><a>1</a><!-- </w>'],
			['an unclosed CDATA section', '<w><a><![CDATA[1</a></w>'],
			['an unclosed processing instruction', '<?xml version="1.0"<w/>'],
			['CDATA outside the root', '<![CDATA[x]]><w/>'],
			['two roots', '<w><a>1</a></w><w><a>2</a></w>'],
			['two self-closing roots', '<w/><v/>'],
			['text before the root', 'id=1<w/>'],
			['text after the root', '<w><a>1</a></w>trailing'],
			['text before a child element', '<w>text<a>1</a></w>'],
			['text after a child element', '<w><a>1</a>text</w>'],
			['CDATA beside a child element', '<w><![CDATA[text]]><a>1</a></w>'],
			['an attribute without quotes', '<w><a b=1>1</a></w>'],
			['a tag without a name', '<w>< a>1</a></w>'],
			['a tag cut short', '<w><a'],
			['no element at all', '  <!-- nothing -->  '],
			['an empty document', ''],
			[`nesting one deeper than MAX_DEPTH`, nested(MAX_DEPTH + 1)],
			['nesting far deeper than MAX_DEPTH', nested(100_000)],
			['a self-closing element one deeper than MAX_DEPTH', nested(MAX_DEPTH, '<leaf/>')],
		])('%s', (_name, xml) => {
			expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
		});

		it('refuses the billion-laughs document at once, expanding nothing', () => {
			const started = performance.now();
			expect(() => toObject(billionLaughs)).toThrow('DOCTYPE');
			expect(performance.now() - started).toBeLessThan(100);
		});
	});

	describe('time linear in the input (a loose guard against quadratic behaviour)', () => {
		const TWO_MB = 2 * 1024 * 1024;

		function timed(xml: string): number {
			const started = performance.now();
			try {
				parseXml(xml);
			} catch (error) {
				if (!(error instanceof XmlSyntaxError)) throw error;
			}
			return performance.now() - started;
		}

		it('parses a 2 MB document of many small elements in well under a second', () => {
			const item = '<engine a="1">google &amp; bing</engine><!-- c --><n/>';
			const xml = `<webhook><data><submitted_to>${item.repeat(Math.ceil(TWO_MB / item.length))}</submitted_to></data></webhook>`;
			expect(xml.length).toBeGreaterThanOrEqual(TWO_MB);
			const started = performance.now();
			const object = toObject(xml);
			const elapsed = performance.now() - started;
			expect((object.data as { submitted_to: unknown[] }).submitted_to.length).toBe(2 * Math.ceil(TWO_MB / item.length));
			expect(elapsed).toBeLessThan(2000);
		});

		it('reads 2 MB of records whose markup changes every 65 records (a new pattern each time) in well under a second', () => {
			const runs: string[] = [];
			for (let length = 0, size = 0; size < TWO_MB; length = (length + 37) % 600) {
				const gap = ' '.repeat(length);
				const run = `<error>${gap}<url>u</url>${gap}<status_code>1</status_code>${gap}<reason>r</reason>${gap}</error>`.repeat(65);
				runs.push(run);
				size += run.length;
			}
			const xml = `<w><errors>${runs.join('')}</errors></w>`;
			const started = performance.now();
			const object = toObject(xml);
			const elapsed = performance.now() - started;
			expect((object.errors as unknown[]).length).toBe(runs.length * 65);
			expect((object.errors as unknown[])[64]).toEqual({ url: 'u', status_code: 1, reason: 'r' });
			expect(elapsed).toBeLessThan(2000);
		});

		it('reads 4 MB of records each written unlike the one before, with no text before them, in well under three seconds (read quadratically it took 4 s)', () => {
			// Each record is tried in one step, found to differ at its last part, and read tag by tag.
			const pair = '<r><a></a><b></b></r><r><a></a><b></b><c></c></r>';
			const count = Math.ceil((2 * TWO_MB) / pair.length);
			const xml = `<webhook><data>${pair.repeat(count)}</data><event>sitemap.generated</event><id>whk_1</id></webhook>`;
			const started = performance.now();
			const object = toObject(xml);
			const elapsed = performance.now() - started;
			expect((object.data as { r: unknown[] }).r).toHaveLength(2 * count);
			expect((object.data as { r: unknown[] }).r[1]).toEqual({ a: '', b: '', c: '' });
			expect(elapsed).toBeLessThan(2500);
		});

		it.each<[string, string]>([
			['one 2 MB text of entities', `<w><a>${'&amp;&#x41;x'.repeat(TWO_MB / 12)}</a></w>`],
			['2 MB of text broken by comments', `<w><a>${'x<!---->'.repeat(TWO_MB / 8)}</a></w>`],
			['one tag of 2 MB of attributes, never closed', `<w><a${' b="1"'.repeat(TWO_MB / 6)}`],
			['2 MB of whitespace in a tag, never closed', `<w><a${' '.repeat(TWO_MB)}`],
			['2 MB of entities ending in a bare ampersand', `<w><a>${'&amp;'.repeat(TWO_MB / 5)}&</a></w>`],
			['2 MB of self-closing children with whitespace between', `<w>${'<a/> '.repeat(TWO_MB / 5)}</w>`],
			['2 MB of comments outside the root', `<w/>${'<!-- c -->\n'.repeat(TWO_MB / 11)}`],
			['2 MB of siblings, each with a long closing tag', `<w>${'<abcdefgh>1</abcdefgh    >'.repeat(TWO_MB / 27)}</w>`],
		])('%s', (_name, xml) => {
			expect(timed(xml)).toBeLessThan(2000);
		});
	});
});

/**
 * The item as README defines it, computed the plain way from the element tree: a reference the
 * one-pass item builder of xmlToObject is checked against.
 */
function itemFromTree(root: XmlElement): Record<string, unknown> {
	const { numbers, arrays } = SITEMAP_XML_FIELD_TYPES;
	const scalar = (text: string, field: string) =>
		numbers.has(field) && /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
	const value = (element: XmlElement, field: string): unknown =>
		element.children.length === 0 ? scalar(element.text, field) : fields(element.children);
	function fields(children: XmlElement[]): Record<string, unknown> {
		const byName = new Map<string, XmlElement[]>();
		for (const child of children) byName.set(child.name, [...(byName.get(child.name) ?? []), child]);
		return Object.fromEntries(
			[...byName].map(([name, all]) => {
				if (!arrays.has(name) && all.length === 1) return [name, value(all[0], name)];
				if (all.length > 1) return [name, all.map((element) => value(element, name))];
				const [only] = all;
				if (only.children.length > 0) return [name, only.children.map((item) => value(item, name))];
				return [name, only.text.trim() === '' ? [] : [scalar(only.text, name)]];
			}),
		);
	}
	return fields(root.children);
}

/** What a call gives: the item, or that it was refused with XmlSyntaxError (anything else throws). */
function outcome(read: () => unknown): unknown {
	try {
		return { item: read() };
	} catch (error) {
		if (error instanceof XmlSyntaxError) return 'refused';
		throw error;
	}
}

describe('properties', () => {
	const NUMBER_FIELDS = [...SITEMAP_XML_FIELD_TYPES.numbers];
	const fieldName = fc
		.stringMatching(/^[A-Za-z_][\w.:-]{0,10}$/)
		.filter(
			(name) => !SITEMAP_XML_FIELD_TYPES.numbers.has(name) && !SITEMAP_XML_FIELD_TYPES.arrays.has(name) && name !== '__proto__',
		);
	const text = fc.string({ unit: 'binary', maxLength: 24 });
	const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat({ max: 2000 }));

	/** A text written in XML: each character as itself, an entity, a reference, or in CDATA, with comments between. */
	function renderText(value: string, styles: number[]): string {
		const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
		return Array.from(value)
			.map((char, index) => {
				const style = styles.length === 0 ? 0 : styles[index % styles.length];
				const code = char.codePointAt(0) as number;
				if (style === 1 && code !== 0) return `&#${code};`;
				if (style === 2 && code !== 0) return `&#x${code.toString(16)};`;
				if (style === 3 && char !== ']' && char !== '>') return `<![CDATA[${char}]]>`;
				if (style === 4) return `<!-- - -->${escapes[char] ?? char}`;
				return escapes[char] ?? char;
			})
			.join('');
	}

	/** The JSON value of `field` written in XML as its elements, in one of the forms README allows. */
	function renderField(field: string, value: unknown, choices: Choices): string {
		const pick = (count: number) => choices.next() % count;
		const attributes = pick(4) === 0 ? ` note="x" other='y'` : '';
		const gap = ['', '\n', '\n  ', '<!-- between -->', '<?pi x?>'][pick(5)];
		const element = (name: string, body: string) =>
			body === '' && pick(2) === 0 ? `<${name}${attributes}/>` : `<${name}${attributes}>${body}</${name}${pick(3) === 0 ? ' ' : ''}>`;
		const body = (item: unknown): string => {
			if (typeof item === 'number') return pick(3) === 0 ? ` ${JSON.stringify(item)}\n` : JSON.stringify(item);
			if (typeof item === 'string') return renderText(item, choices.styles());
			return Object.entries(item as object)
				.map(([name, inner]) => gap + renderField(name, inner, choices))
				.join('') + gap;
		};
		if (!Array.isArray(value)) return element(field, body(value));
		const blankOne = value.length === 1 && typeof value[0] === 'string' && value[0].trim() === '';
		const objects = value.some((item) => typeof item === 'object');
		// Repeated elements, where they say the same (one object alone would be read as a wrapper).
		if (value.length > 0 && !blankOne && !(objects && value.length === 1) && pick(2) === 0) {
			return value.map((item) => element(field, body(item))).join(gap);
		}
		const items = value.map((item) => element(['item', 'engine', 'error', field][pick(4)], body(item))).join(gap);
		return element(field, value.length === 0 ? ['', '\n', '<!-- none -->'][pick(3)] : items);
	}

	/** Pseudo-random choices from a seed fast-check drew, so that a failing case shrinks and replays. */
	class Choices {
		private state: number;
		constructor(seed: number) {
			this.state = seed >>> 0 || 1;
		}
		next(): number {
			this.state ^= this.state << 13;
			this.state ^= this.state >>> 17;
			this.state ^= this.state << 5;
			return this.state >>> 0;
		}
		styles(): number[] {
			return Array.from({ length: this.next() % 4 }, () => this.next() % 5);
		}
	}

	const errorItem = fc
		.record({ url: text, status_code: number, reason: text }, { requiredKeys: [] })
		.filter((item) => Object.keys(item).length > 0);
	const nested: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(fieldName, text, { minKeys: 1, maxKeys: 3 });
	const envelope = fc.record(
		{
			id: text,
			event: fc.constantFrom(...SITEMAP_XML_EVENTS.map((event) => event.value)),
			timestamp: text,
			data: fc.record(
				{
					sitemap_url: text,
					version: text,
					submitted_to: fc.array(text, { maxLength: 4 }),
					errors: fc.array(errorItem, { maxLength: 4 }),
					numbers: fc.dictionary(fc.constantFrom(...NUMBER_FIELDS), number, { maxKeys: 4 }),
					extra: fc.dictionary(fieldName, fc.oneof(text, nested), { maxKeys: 3 }),
				},
				{ requiredKeys: [] },
			),
		},
		{ requiredKeys: ['event'] },
	);

	/** The envelope as JSON would carry it: the data's number fields and other fields flattened in. */
	function jsonForm(drawn: { data?: { numbers?: object; extra?: object } & Record<string, unknown> } & Record<string, unknown>) {
		const { data, ...rest } = drawn;
		if (data === undefined) return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
		const { numbers, extra, ...fields } = data;
		const flat = { ...extra, ...fields, ...numbers };
		// An object without fields has no XML form that reads back as an object.
		const withData = Object.keys(flat).length > 0 ? { ...rest, data: flat } : rest;
		return JSON.parse(JSON.stringify(withData)) as Record<string, unknown>;
	}

	it('reads the XML form of any envelope into its JSON form', () => {
		fc.assert(
			fc.property(envelope, fc.integer(), fc.boolean(), (drawn, seed, prolog) => {
				const json = jsonForm(drawn);
				const choices = new Choices(seed);
				const fields = Object.entries(json)
					.map(([name, value]) => renderField(name, value, choices))
					.join(['', '\n'][choices.next() % 2]);
				const xml = `${prolog ? '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- sent -->\n' : ''}<webhook>${fields}</webhook>\n`;
				expect(toObject(xml)).toEqual(json);
				expect(toObject(xml)).toEqual(itemFromTree(parseXml(xml)));
			}),
			{ numRuns: 400 },
		);
	});

	/** Pieces of XML, well-formed or not, joined at random. */
	const PIECES = [
		'<', '>', '/', '=', '"', "'", ' ', '\n', 'a', '1', ' 2 ', '\uFEFF', '\u00A0',
		'<w>', '</w>', '<a>', '</a>', '<b>', '</b>', '<a/>', '<a x="1">', '<a x=1>', '</a >', '<b\n/>',
		'<errors>', '</errors>', '<submitted_to>', '</submitted_to>', '<total_urls>', '</total_urls>',
		'<__proto__>', '</__proto__>', '<constructor>', '</constructor>',
		'&', '&amp;', '&lt;', '&#x41;', '&#65;', '&#0;', '&#xD800;', '&#1114112;', '&nbsp;', '&e;',
		'<!DOCTYPE w>', '<!ENTITY e "x">', '<!ELEMENT w ANY>', '<![CDATA[', ']]>', '<!--', '-->', '<?', '?>', '<?xml version="1.0"?>',
	];
	const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join(''));

	it('answers any input with an item or XmlSyntaxError, the same item as the element tree gives', () => {
		fc.assert(
			fc.property(soup, fc.constantFrom('', '<w>', '<w><errors>'), (body, prefix) => {
				const xml = prefix + body;
				const fromTree = outcome(() => itemFromTree(parseXml(xml)));
				expect(outcome(() => toObject(xml))).toEqual(fromTree);
			}),
			{ numRuns: 3000 },
		);
	});

	it('answers large repetitive input, valid or not, in time linear in its length', () => {
		fc.assert(
			fc.property(fc.array(soup, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (variants, picks) => {
				const record = picks.map((pick) => variants[pick % variants.length]).join('');
				const xml = `<w><errors>${record.repeat(Math.ceil(100_000 / (record.length + 1)))}</errors></w>`;
				const started = performance.now();
				outcome(() => toObject(xml));
				expect(performance.now() - started).toBeLessThan(1000);
				// The same in chunks, each starting at a `<` at least 4 KB into the text after the last.
				const chunks: string[] = [];
				for (let start = 0; start < xml.length; ) {
					const cut = xml.indexOf('<', start + 4096);
					chunks.push(xml.slice(start, cut === -1 ? xml.length : cut));
					start = cut === -1 ? xml.length : cut;
				}
				const chunked = performance.now();
				outcome(() => xmlToObject(chunks, SITEMAP_XML_FIELD_TYPES));
				expect(performance.now() - chunked).toBeLessThan(1000);
			}),
			{ numRuns: 40 },
		);
	});

	/** A well-formed element: a leaf with some text, or an element with child elements. */
	const { element } = fc.letrec<{ element: string; children: string }>((tie) => ({
		element: fc.oneof(
			{ depthSize: 'small', withCrossShrink: true },
			fc
				.tuple(fc.constantFrom('url', 'status_code', 'reason', 'a', 'submitted_to', 'errors', 'total_urls'), fc.constantFrom('', 'x', '404', ' 7 ', 'p &amp; q', '\n'))
				.map(([name, body]) => (body === '' ? `<${name}/>` : `<${name}>${body}</${name}>`)),
			fc.tuple(fc.constantFrom('error', 'a', 'errors', 'submitted_to', 'data'), tie('children')).map(([name, body]) => `<${name}>${body}</${name}>`),
		),
		children: fc.array(tie('element'), { minLength: 1, maxLength: 4 }).chain((elements) =>
			fc.constantFrom('', '\n').map((gap) => elements.join(gap)),
		),
	}));

	/** Texts a record's field may have: plain, typed, encoded, split, or not well-formed. */
	const RECORD_TEXTS = ['', 'x', '404', ' 7 ', '0', '007', '-1.5e3', '12345678901234567890', 'p &amp; q', '&#x20;', '<![CDATA[c<d]]>', 'a<!--c-->b', '\n', 'a & b'];
	/** Ways one record may be written otherwise than the others. */
	const ODDITIES = ['attribute', 'spaced close tag', 'self-closing', 'missing', 'extra', 'nested', 'comment', 'text', 'reordered'] as const;
	const recordRun = fc.record({
		parent: fc.constantFrom('errors', 'data', 'submitted_to'),
		element: fc.constantFrom('error', 'a', 'item', 'errors'),
		fields: fc.array(fc.constantFrom('url', 'status_code', 'reason', 'a', 'b', '__proto__', 'errors', 'total_urls'), { minLength: 1, maxLength: 5 }),
		gap: fc.constantFrom('', '\n', '\n  ', '&#32;'),
		between: fc.constantFrom('', '\n'),
		texts: fc.array(fc.constantFrom(...RECORD_TEXTS), { minLength: 1, maxLength: 6 }),
		picks: fc.array(fc.nat(), { minLength: 150, maxLength: 400, size: 'max' }),
		oddities: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ODDITIES)), { maxLength: 3 }),
	});

	/** The records of a run, written as drawn: all alike but for their texts, and for the oddities. */
	function writeRun(run: { element: string; fields: string[]; gap: string; texts: string[]; picks: number[]; oddities: Array<[number, (typeof ODDITIES)[number]]> }): string[] {
		const { element, fields, gap, texts } = run;
		return run.picks.map((pick, index) => {
			const children = fields.map((field, at) => ({ field, text: texts[(pick + at) % texts.length], open: `<${field}>`, close: `</${field}>` }));
			for (const [where, oddity] of run.oddities) {
				// A record whose one field went missing has no field left for a further oddity.
				if (where % run.picks.length !== index || children.length === 0) continue;
				const first = children[0];
				if (oddity === 'attribute') first.open = `<${first.field} x="1">`;
				if (oddity === 'spaced close tag') first.close = `</${first.field} >`;
				if (oddity === 'self-closing') Object.assign(first, { open: `<${first.field}/>`, text: '', close: '' });
				if (oddity === 'missing') children.shift();
				if (oddity === 'extra') children.push({ field: 'extra', text: '1', open: '<extra>', close: '</extra>' });
				if (oddity === 'nested') first.text = `<n>${first.text}</n>`;
				if (oddity === 'comment') first.close += '<!-- c -->';
				if (oddity === 'text') first.close += 'junk';
				if (oddity === 'reordered') children.reverse();
			}
			return `<${element}>${gap}${children.map((child) => child.open + child.text + child.close).join(gap)}${gap}</${element}>`;
		});
	}

	it('reads a long run of records, however their texts vary and whichever one is written otherwise, as it reads them tag by tag', () => {
		fc.assert(
			fc.property(recordRun, (run) => {
				const xml = `<w><${run.parent}>${writeRun(run).join(run.between)}</${run.parent}></w>`;
				const tagByTag = outcome(() => itemFromTree(parseXml(xml)));
				expect(outcome(() => toObject(xml))).toEqual(tagByTag);
			}),
			{ numRuns: 400 },
		);
	});

	it('reads records of two shapes taking turns, and records among other elements, as it reads them tag by tag', () => {
		fc.assert(
			fc.property(recordRun, recordRun, fc.array(fc.nat({ max: 2 }), { minLength: 150, maxLength: 400, size: 'max' }), (one, other, turns) => {
				const ones = writeRun(one);
				const others = writeRun({ ...other, element: one.element });
				const body = turns.map((turn, index) => [ones[index % ones.length], others[index % others.length], '<c>1</c>'][turn]).join(one.between);
				const xml = `<w><${one.parent}>${body}</${one.parent}></w>`;
				const tagByTag = outcome(() => itemFromTree(parseXml(xml)));
				expect(outcome(() => toObject(xml))).toEqual(tagByTag);
			}),
			{ numRuns: 200 },
		);
	});

	it('reads each item of a long array as it reads that item alone, however items repeat', () => {
		fc.assert(
			fc.property(fc.array(element, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 60 }), fc.constantFrom('', '\n'), (pool, picks, gap) => {
				const items = picks.map((pick) => pool[pick % pool.length]);
				const one = (item: string) => (toObject(`<w><errors>${item}</errors></w>`).errors as unknown[])[0];
				expect(toObject(`<w><errors>${items.join(gap)}</errors></w>`)).toEqual({ errors: items.map(one) });
			}),
			{ numRuns: 500 },
		);
	});

	describe('a document in chunks, each after the first starting with <', () => {
		/** `xml` cut before the `<`s that `cuts` pick (each cut at the nth `<` from the last cut on). */
		function chunksOf(xml: string, cuts: number[]): string[] {
			const chunks: string[] = [];
			let start = 0;
			for (const cut of cuts) {
				let at = start;
				for (let skipped = 0; at !== -1 && skipped <= cut; skipped++) at = xml.indexOf('<', at + 1);
				if (at === -1) break;
				chunks.push(xml.slice(start, at));
				start = at;
			}
			chunks.push(xml.slice(start));
			return chunks;
		}
		const cuts = fc.array(fc.nat({ max: 12 }), { maxLength: 30 });

		it('is read as the whole text is, well-formed or not, with comments, CDATA and instructions holding < across chunks', () => {
			fc.assert(
				fc.property(soup, fc.constantFrom('', '<w>', '<w><errors>', '<w><!-- a < b', '<w><a><![CDATA[<'), cuts, (body, prefix, picks) => {
					const xml = prefix + body;
					const chunks = chunksOf(xml, picks);
					expect(chunks.join('')).toBe(xml);
					expect(outcome(() => xmlToObject(chunks, SITEMAP_XML_FIELD_TYPES))).toEqual(outcome(() => toObject(xml)));
				}),
				{ numRuns: 3000 },
			);
		});

		it('reads a long run of records cut anywhere, inside a record or between two, as the whole text', () => {
			fc.assert(
				fc.property(recordRun, fc.array(fc.nat({ max: 400 }), { maxLength: 12 }), (run, picks) => {
					const xml = `<w><${run.parent}>${writeRun(run).join(run.between)}</${run.parent}></w>`;
					const chunks = chunksOf(xml, picks);
					expect(outcome(() => xmlToObject(chunks, SITEMAP_XML_FIELD_TYPES))).toEqual(outcome(() => toObject(xml)));
				}),
				{ numRuns: 300 },
			);
		});

		it('reads a record shape learnt in one chunk in the next, and learns one from a record cut across two', () => {
			const record = '<error><url>u</url><status_code>404</status_code></error>';
			const records = Array.from({ length: 300 }, () => record);
			const xml = `<w><errors>${records.join('')}</errors></w>`;
			const expected = { errors: records.map(() => ({ url: 'u', status_code: 404 })) };
			// Cut at the start of a record, and inside the first record, whose open tag is then in a chunk before.
			const head = '<w><errors>';
			const atRecord = [xml.slice(0, head.length + 100 * record.length), xml.slice(head.length + 100 * record.length)];
			const insideFirst = [xml.slice(0, head.length + 7), xml.slice(head.length + 7)];
			expect(xmlToObject(atRecord, SITEMAP_XML_FIELD_TYPES)).toEqual(expected);
			expect(xmlToObject(insideFirst, SITEMAP_XML_FIELD_TYPES)).toEqual(expected);
			// Once the shape's pattern reads many records in one match: a chunk ending right after any
			// record's open tag, which a match may have read with the record before, or inside it.
			for (let index = 60; index < 200; index++) {
				for (const into of [7, 12, 19]) {
					const cut = head.length + index * record.length + into;
					expect(xmlToObject([xml.slice(0, cut), xml.slice(cut)].filter((chunk) => chunk !== ''), SITEMAP_XML_FIELD_TYPES)).toEqual(expected);
				}
			}
		});

		it('notes no shape for a record opened in a chunk before, whose open tag is not in the chunk read', () => {
			const first = '<w><errors><error>';
			const rest = '<!-- a comment long enough --><url>u</url></error>';
			// What a shape noted from where the record's open tag ended in the first chunk would take for
			// the record's markup before its first text: the next record has it, as text beside <url>.
			const misread = rest.slice(first.length, rest.indexOf('u</url>'));
			const chunks = [first, `${rest}<error>${misread}u</url></error></errors></w>`];
			expect(() => toObject(chunks.join(''))).toThrow(XmlSyntaxError);
			expect(() => xmlToObject(chunks, SITEMAP_XML_FIELD_TYPES)).toThrow(XmlSyntaxError);
		});

		it('reads a comment or instruction whose first characters could pass for its end as the whole text', () => {
			for (const chunks of [
				['<w><!-->', '<a/>--><event>e</event></w>'],
				['<w><?>', '<a/>?><event>e</event></w>'],
			]) {
				expect(toObject(chunks.join(''))).toEqual({ event: 'e' });
				expect(xmlToObject(chunks, SITEMAP_XML_FIELD_TYPES)).toEqual({ event: 'e' });
			}
		});

		it('refuses what runs past the last chunk unclosed, as the whole text is refused', () => {
			for (const chunks of [
				['<w><!-- a ', '<b'],
				['<w><a><![CDATA[x', '<y'],
				['<w><?pi ', '<x'],
			]) {
				expect(() => xmlToObject(chunks, SITEMAP_XML_FIELD_TYPES)).toThrow(XmlSyntaxError);
				expect(() => toObject(chunks.join(''))).toThrow(XmlSyntaxError);
			}
		});

		it('reads no chunks as an empty document, which is refused', () => {
			expect(() => xmlToObject([], SITEMAP_XML_FIELD_TYPES)).toThrow(XmlSyntaxError);
		});
	});

	describe('xmlTextChunks', () => {
		/** UTF-8 bytes, valid or not, with `<` among them. */
		const byteRun = fc.array(
			fc.oneof(
				fc.constantFrom('<', '<a>', '</a>', 'x', ' ', '\u00e9', '\u20ac', '\u{1F680}').map((text) => Buffer.from(text)),
				fc.constantFrom([0xff], [0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x9a]).map((bytes) => Buffer.from(bytes)),
			),
			{ minLength: 1, maxLength: 64 },
		);

		it('cuts bytes into chunks that join to their UTF-8 text, each after the first starting with < and at least CHUNK_BYTES after the one before', () => {
			fc.assert(
				fc.property(byteRun, fc.integer({ min: 0, max: 5 * CHUNK_BYTES }), (run, size) => {
					const unit = Buffer.concat(run);
					const bytes = Buffer.concat(Array.from({ length: Math.ceil(size / unit.length) }, () => unit)).subarray(0, size);
					const chunks = xmlTextChunks(bytes);
					expect(chunks.join('')).toBe(bytes.toString('utf8'));
					expect(chunks.slice(1).every((chunk) => chunk.startsWith('<'))).toBe(true);
					// Where each chunk starts in the bytes: its cut is the first < from CHUNK_BYTES on.
					let start = 0;
					for (const chunk of chunks.slice(0, -1)) {
						const end = bytes.indexOf(0x3c, start + CHUNK_BYTES);
						expect(bytes.length - start).toBeGreaterThan(2 * CHUNK_BYTES);
						expect(chunk).toBe(bytes.toString('utf8', start, end));
						start = end;
					}
					expect(chunks[chunks.length - 1] ?? '').toBe(bytes.toString('utf8', start));
					expect(chunks.length > 1 || bytes.length <= 2 * CHUNK_BYTES || bytes.indexOf(0x3c, CHUNK_BYTES) === -1).toBe(true);
				}),
				{ numRuns: 200 },
			);
		});

		it('gives a body of up to twice CHUNK_BYTES as one chunk, and none for no bytes', () => {
			const body = Buffer.from('<a>'.repeat(Math.floor((2 * CHUNK_BYTES) / 3)));
			expect(xmlTextChunks(body)).toEqual([body.toString('utf8')]);
			expect(xmlTextChunks(Buffer.alloc(0))).toEqual([]);
		});
	});
});
