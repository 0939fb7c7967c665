import type { IDataObject } from 'n8n-workflow';

/**
 * A small XML reader for Sitemap.xml's webhook envelope, written for this one shape:
 * a root element (its name is not checked) whose children are the envelope's fields.
 *
 * Supported: elements, text, CDATA, comments, processing instructions, the five predefined
 * entities and numeric character references. Attributes are read past and ignored.
 * Refused (it throws): DOCTYPE and entity declarations (no expansion, so no entity bombs),
 * unknown entities, mismatched or unclosed tags, text beside child elements, more than one
 * root, and nesting deeper than MAX_DEPTH.
 *
 * One pass over the text, without recursion and without regular expressions over the body: the
 * reader reports each element as it opens and closes, and `xmlToObject` builds the item from those
 * reports as it goes, so no element tree is built for a delivery.
 */

export interface XmlElement {
	name: string;
	children: XmlElement[];
	text: string;
}

export const MAX_DEPTH = 32;

export class XmlSyntaxError extends Error {}

/** What the reader reports, in document order. */
interface XmlSink {
	/**
	 * An element opened (its attributes read past). `id` is the same number each time the same
	 * name recurs (a few names may share one), for the sink to keep what it derives from a name.
	 */
	open(name: string, id: number): void;
	/** The innermost open element closed without child elements; `text` is its text, decoded. */
	leaf(text: string): void;
	/** The innermost open element closed after its child elements. */
	close(): void;
}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
const EXCLAMATION = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const HASH = 0x23;
const SEMICOLON = 0x3b;
const LOWER_X = 0x78;

const NAME_START = 1; // [A-Za-z_]
const NAME_CHAR = 2; // [\w.:-]
const SPACE = 4; // ASCII white space, as \s and String.prototype.trim know it
const DIGIT = 8;
const HEX_DIGIT = 16;

const ASCII = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
	const char = String.fromCharCode(code);
	if (/[A-Za-z_]/.test(char)) ASCII[code] |= NAME_START;
	if (/[\w.:-]/.test(char)) ASCII[code] |= NAME_CHAR;
	if (/\s/.test(char)) ASCII[code] |= SPACE;
	if (/[0-9]/.test(char)) ASCII[code] |= DIGIT;
	if (/[0-9a-fA-F]/.test(char)) ASCII[code] |= HEX_DIGIT;
}

/** Whether `code` (a UTF-16 unit, or NaN past the end) is in `classes`. */
function isAscii(code: number, classes: number): boolean {
	return code < 128 && (ASCII[code] & classes) !== 0;
}

/** White space as `\s` and String.prototype.trim know it. */
function isSpace(code: number): boolean {
	if (code < 128) return (ASCII[code] & SPACE) !== 0;
	return (
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 ||
		code === 0x2029 ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x3000 ||
		code === 0xfeff
	);
}

const PREDEFINED: ReadonlyArray<readonly [string, string]> = [
	['lt;', '<'],
	['gt;', '>'],
	['amp;', '&'],
	['quot;', '"'],
	['apos;', "'"],
];

/** The most digits a decimal (`&#…;`) and a hexadecimal (`&#x…;`) reference may have. */
const DECIMAL_DIGITS = 7;
const HEX_DIGITS = 6;

const NAME_CACHE_SIZE = 256;

/** The same text as the engine's own copy of it, the one property keys use. */
function internalized(text: string): string {
	return Object.keys({ [text]: true })[0];
}

/** An element name read, with its tags as written without attributes or spaces. */
class Name {
	readonly openTag: string;
	readonly closeTag: string;
	/** The name opened after this one last time: likely the next one again, as envelopes repeat. */
	next: Name = this;
	/** The tags that followed this element's text last time. */
	run: Run | undefined;

	constructor(
		readonly text: string,
		readonly id: number,
	) {
		this.openTag = internalized(`<${text}>`);
		this.closeTag = internalized(`</${text}>`);
	}
}

/**
 * Plain tags (`<name>`, `</name>`, white space between them that is no element's text) read one
 * after the other from the end of an element's text to the next text: `markup` as written, and
 * which elements they opened and closed. Where the same markup follows the same element's text
 * again, as in every item of an array, it is compared as a whole and its tags are not read again.
 */
class Run {
	constructor(
		readonly markup: string,
		readonly names: readonly Name[],
		readonly closes: readonly boolean[],
	) {}
}

/**
 * How many times per document `indexOf` may be asked whether a run's markup is next and answer
 * that it is not (having searched on past it); then runs are compared by copying.
 */
const RUN_MISSES = 16;

/** Reads a document from start to end once, reporting elements to `sink`; throws XmlSyntaxError. */
class XmlReader {
	/** Element names read so far, by a hash of their text. */
	private readonly names: Array<Name | undefined> = new Array(NAME_CACHE_SIZE);
	private last: Name | undefined;
	/** The open elements, outermost first; `depth` of them are in use. */
	private readonly open: Name[] = [];
	private depth = 0;
	/** The innermost open element has had a child element: any more text in it must be blank. */
	private hasChildren = false;
	private rootSeen = false;
	/** The innermost element's text so far, while it has no child element: one piece or several. */
	private text = '';
	private pieces: string[] | undefined;
	/** The first `&` at or after where text was last looked at (`xml.length` when none is left). */
	private nextAmpersand = -1;
	/** The run being recorded: where it started (-1: none), in whose text, and its tags so far. */
	private runStart = -1;
	private runOwner: Name | undefined;
	private runNames: Name[] = [];
	private runCloses: boolean[] = [];
	private runMisses = 0;

	constructor(
		private readonly xml: string,
		private readonly sink: XmlSink,
	) {}

	read(): void {
		const xml = this.xml;
		let position = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
		while (position < xml.length) {
			let open = position;
			if (xml.charCodeAt(position) !== LESS_THAN) {
				open = xml.indexOf('<', position);
				if (open === -1) {
					this.addText(position, xml.length);
					break;
				}
				if (this.addText(position, open)) {
					const owner = this.open[this.depth - 1];
					const run = owner.run;
					if (run !== undefined && this.runAt(run.markup, open)) {
						position = this.replay(run, open);
						continue;
					}
					this.runStart = open;
					this.runOwner = owner;
					this.runNames = [];
					this.runCloses = [];
				}
			}
			const next = xml.charCodeAt(open + 1);
			if (next === SLASH) position = this.closeTag(open);
			else if (next === EXCLAMATION) position = this.declaration(open);
			else if (next === QUESTION) {
				this.runStart = -1;
				const end = xml.indexOf('?>', open + 2);
				if (end === -1) throw new XmlSyntaxError('unclosed processing instruction');
				position = end + 2;
			} else position = this.openTag(open);
		}
		if (this.depth > 0) throw new XmlSyntaxError('unclosed element');
		if (!this.rootSeen) throw new XmlSyntaxError('no root element');
	}

	/** Whether `markup` is written at `position`. */
	private runAt(markup: string, position: number): boolean {
		if (this.runMisses >= RUN_MISSES) return this.xml.slice(position, position + markup.length) === markup;
		if (this.xml.indexOf(markup, position) === position) return true;
		this.runMisses++;
		return false;
	}

	/** Does what `run`'s tags do, as if read at `position`; answers the position after them. */
	private replay(run: Run, position: number): number {
		const { names, closes } = run;
		for (let index = 0; index < names.length; index++) {
			if (closes[index]) this.closeElement(names[index]);
			else this.openElement(names[index], false);
		}
		return position + run.markup.length;
	}

	/** Adds a plain tag to the run being recorded. */
	private recordTag(name: Name, closes: boolean): void {
		if (this.runStart === -1) return;
		this.runNames.push(name);
		this.runCloses.push(closes);
	}

	/** The run being recorded ends where an element's text starts at `end`. */
	private finishRun(end: number): void {
		if (this.runNames.length > 0) {
			(this.runOwner as Name).run = new Run(this.xml.slice(this.runStart, end), this.runNames, this.runCloses);
		}
		this.runStart = -1;
	}

	/** A comment or a CDATA section; anything else starting `<!` (DOCTYPE, ENTITY, ...) is refused. */
	private declaration(open: number): number {
		const xml = this.xml;
		this.runStart = -1;
		if (xml.startsWith('--', open + 2)) {
			const end = xml.indexOf('-->', open + 4);
			if (end === -1) throw new XmlSyntaxError('unclosed comment');
			return end + 3;
		}
		if (xml.startsWith('[CDATA[', open + 2)) {
			const end = xml.indexOf(']]>', open + 9);
			if (end === -1 || this.depth === 0) throw new XmlSyntaxError('misplaced CDATA section');
			if (this.hasChildren) {
				if (!this.isBlank(open + 9, end)) throw new XmlSyntaxError('text beside child elements');
			} else {
				this.addPiece(xml.slice(open + 9, end));
			}
			return end + 3;
		}
		throw new XmlSyntaxError('DOCTYPE and entity declarations are not supported');
	}

	/** `<name attributes>` or `<name attributes/>` at `open`; answers the position after it. */
	private openTag(open: number): number {
		const xml = this.xml;
		const last = this.last;
		let name = last?.next;
		if (name !== undefined && xml.startsWith(name.openTag, open)) {
			this.last = name;
			this.recordTag(name, false);
			this.openElement(name, false);
			return open + name.openTag.length;
		}
		name = this.name(open + 1);
		if (last !== undefined) last.next = name;
		this.last = name;
		let position = open + 1 + name.text.length;
		if (xml.charCodeAt(position) === GREATER_THAN) {
			this.recordTag(name, false);
			this.openElement(name, false);
			return position + 1;
		}
		this.runStart = -1;
		position = this.skipAttributes(position);
		const selfClosing = xml.charCodeAt(position) === SLASH;
		if (selfClosing) position++;
		if (xml.charCodeAt(position) !== GREATER_THAN) throw new XmlSyntaxError('invalid tag');
		this.openElement(name, selfClosing);
		return position + 1;
	}

	private openElement(name: Name, selfClosing: boolean): void {
		const depth = this.depth;
		if (depth >= MAX_DEPTH) throw new XmlSyntaxError('nested too deeply');
		if (depth === 0) {
			if (this.rootSeen) throw new XmlSyntaxError('more than one root element');
			this.rootSeen = true;
		} else if (!this.hasChildren) {
			// The parent's text so far was not a leaf's after all: it may only be white space.
			if ((this.text !== '' || this.pieces !== undefined) && this.takeText().trim() !== '') {
				throw new XmlSyntaxError('text beside child elements');
			}
			this.hasChildren = true;
		}
		this.sink.open(name.text, name.id);
		if (selfClosing) {
			this.sink.leaf('');
		} else {
			this.open[depth] = name;
			this.depth = depth + 1;
			this.hasChildren = false;
		}
	}

	/**
	 * The element name starting at `start` (`[A-Za-z_][\w.:-]*`): the same Name each time it
	 * recurs, so that as a field name its text is hashed and interned once per delivery.
	 */
	private name(start: number): Name {
		const xml = this.xml;
		let position = start;
		if (!isAscii(xml.charCodeAt(position), NAME_START)) throw new XmlSyntaxError('invalid tag');
		let hash = xml.charCodeAt(position);
		for (let code = xml.charCodeAt(++position); isAscii(code, NAME_CHAR); code = xml.charCodeAt(++position)) {
			hash = (hash * 31 + code) | 0;
		}
		const id = (hash ^ (position - start)) & (NAME_CACHE_SIZE - 1);
		const cached = this.names[id];
		if (cached !== undefined && cached.text.length === position - start && xml.startsWith(cached.text, start)) {
			return cached;
		}
		const name = new Name(internalized(xml.slice(start, position)), id);
		this.names[id] = name;
		return name;
	}

	/** Reads past `(\s+name\s*=\s*("[^"<]*"|'[^'<]*'))*\s*` from `position`; answers where it ends. */
	private skipAttributes(position: number): number {
		const xml = this.xml;
		for (;;) {
			const spaceStart = position;
			while (isSpace(xml.charCodeAt(position))) position++;
			if (position === spaceStart || !isAscii(xml.charCodeAt(position), NAME_START)) return position;
			position++;
			while (isAscii(xml.charCodeAt(position), NAME_CHAR)) position++;
			while (isSpace(xml.charCodeAt(position))) position++;
			if (xml.charCodeAt(position) !== EQUALS) throw new XmlSyntaxError('invalid tag');
			position++;
			while (isSpace(xml.charCodeAt(position))) position++;
			const quote = xml.charCodeAt(position);
			if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) throw new XmlSyntaxError('invalid tag');
			position++;
			for (let code = xml.charCodeAt(position); code !== quote; code = xml.charCodeAt(++position)) {
				if (code === LESS_THAN || position >= xml.length) throw new XmlSyntaxError('invalid tag');
			}
			position++;
		}
	}

	/** `</name\s*>` at `open`, closing the innermost open element; answers the position after it. */
	private closeTag(open: number): number {
		const xml = this.xml;
		if (this.depth === 0) throw new XmlSyntaxError('mismatched closing tag');
		const name = this.open[this.depth - 1];
		if (xml.startsWith(name.closeTag, open)) {
			this.recordTag(name, true);
			this.closeElement(name);
			return open + name.closeTag.length;
		}
		// Only white space may come between the name and `>`.
		this.runStart = -1;
		let position = open + 2 + name.text.length;
		if (!xml.startsWith(name.text, open + 2) || !isSpace(xml.charCodeAt(position))) {
			throw new XmlSyntaxError('mismatched closing tag');
		}
		while (isSpace(xml.charCodeAt(position))) position++;
		if (xml.charCodeAt(position) !== GREATER_THAN) throw new XmlSyntaxError('mismatched closing tag');
		this.closeElement(name);
		return position + 1;
	}

	private closeElement(name: Name): void {
		const depth = this.depth;
		const open = this.open[depth - 1];
		if (depth === 0 || (open !== name && open.text !== name.text)) {
			throw new XmlSyntaxError('mismatched closing tag');
		}
		if (this.hasChildren) this.sink.close();
		else this.sink.leaf(this.takeText());
		this.depth = depth - 1;
		this.hasChildren = true;
	}

	/**
	 * Character data from `start` to `end` (entities not yet decoded). Answers whether it was kept
	 * as the innermost element's text (rather than refused or dropped as white space).
	 */
	private addText(start: number, end: number): boolean {
		if (this.depth === 0) {
			this.runStart = -1;
			if (!this.isBlank(start, end)) throw new XmlSyntaxError('text outside the root element');
			return false;
		}
		const encoded = this.hasAmpersand(start, end);
		if (this.hasChildren) {
			if (encoded) {
				this.runStart = -1;
				if (this.decode(start, end).trim() !== '') throw new XmlSyntaxError('text beside child elements');
			} else if (!this.isBlank(start, end)) {
				throw new XmlSyntaxError('text beside child elements');
			}
			// White space beside elements, which a run may hold.
			return false;
		}
		if (this.runStart !== -1) this.finishRun(start);
		this.addPiece(encoded ? this.decode(start, end) : this.xml.slice(start, end));
		return true;
	}

	private addPiece(piece: string): void {
		if (this.pieces !== undefined) this.pieces.push(piece);
		else if (this.text === '') this.text = piece;
		else this.pieces = [this.text, piece];
	}

	/** The innermost element's text, which is then forgotten. */
	private takeText(): string {
		if (this.pieces === undefined) {
			const text = this.text;
			this.text = '';
			return text;
		}
		const text = this.pieces.join('');
		this.text = '';
		this.pieces = undefined;
		return text;
	}

	private isBlank(start: number, end: number): boolean {
		for (let position = start; position < end; position++) {
			if (!isSpace(this.xml.charCodeAt(position))) return false;
		}
		return true;
	}

	/** Whether there is an `&` from `start` to `end`; every search starts past the one before. */
	private hasAmpersand(start: number, end: number): boolean {
		if (this.nextAmpersand < start) {
			const found = this.xml.indexOf('&', start);
			this.nextAmpersand = found === -1 ? this.xml.length : found;
		}
		return this.nextAmpersand < end;
	}

	/**
	 * The text from `start` to `end` with its references replaced; its first `&` is at
	 * `nextAmpersand`. A bare `&` or an unknown entity anywhere in it is refused before an
	 * invalid character reference is.
	 */
	private decode(start: number, end: number): string {
		const xml = this.xml;
		const pieces: string[] = [];
		let from = start;
		let invalidReference = false;
		for (let ampersand = this.nextAmpersand; ampersand < end; ) {
			if (ampersand > from) pieces.push(xml.slice(from, ampersand));
			let after = -1;
			if (xml.charCodeAt(ampersand + 1) === HASH) {
				const hex = xml.charCodeAt(ampersand + 2) === LOWER_X;
				const digitsStart = ampersand + (hex ? 3 : 2);
				const maxDigits = hex ? HEX_DIGITS : DECIMAL_DIGITS;
				let position = digitsStart;
				while (position - digitsStart <= maxDigits && isAscii(xml.charCodeAt(position), hex ? HEX_DIGIT : DIGIT)) {
					position++;
				}
				const digits = position - digitsStart;
				if (digits >= 1 && digits <= maxDigits && xml.charCodeAt(position) === SEMICOLON) {
					const code = parseInt(xml.slice(digitsStart, position), hex ? 16 : 10);
					if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) invalidReference = true;
					else pieces.push(String.fromCodePoint(code));
					after = position + 1;
				}
			} else {
				for (const [entity, char] of PREDEFINED) {
					if (xml.startsWith(entity, ampersand + 1)) {
						pieces.push(char);
						after = ampersand + 1 + entity.length;
						break;
					}
				}
			}
			if (after === -1 || after > end) throw new XmlSyntaxError('unknown entity or bare ampersand');
			from = after;
			const found = xml.indexOf('&', from);
			ampersand = found === -1 ? xml.length : found;
			this.nextAmpersand = ampersand;
		}
		if (invalidReference) throw new XmlSyntaxError('invalid character reference');
		if (from < end) pieces.push(xml.slice(from, end));
		return pieces.join('');
	}
}

/** Builds the element tree. */
class TreeBuilder implements XmlSink {
	private readonly stack: XmlElement[] = [];
	root: XmlElement | undefined;

	open(name: string): void {
		const element: XmlElement = { name, children: [], text: '' };
		const parent = this.stack[this.stack.length - 1];
		if (parent === undefined) this.root = element;
		else parent.children.push(element);
		this.stack.push(element);
	}

	leaf(text: string): void {
		(this.stack.pop() as XmlElement).text = text;
	}

	close(): void {
		this.stack.pop();
	}
}

/** Parses a document into its root element. Runs in time linear in the input, without recursion. */
export function parseXml(xml: string): XmlElement {
	const tree = new TreeBuilder();
	new XmlReader(xml, tree).read();
	return tree.root as XmlElement;
}

/** How a field's text is typed, so the XML form gives the same values as the JSON form. */
export interface XmlFieldTypes {
	numbers: ReadonlySet<string>;
	arrays: ReadonlySet<string>;
}

/** What `XmlFieldTypes` says of a name. */
const NUMBER = 1;
const ARRAY = 2;

type XmlValue = IDataObject[string];

/**
 * What an element read gives: a leaf's text; the fields of its children; or, for an array field
 * with children, the children themselves (`ArrayChildren`).
 */
type ElementResult = string | IDataObject | ArrayChildren;

/**
 * An array field's element with children. Alone in its parent it is a wrapper, its children the
 * items (typed as the field); one of several, it is one item, an object of its children's fields.
 * Which it is shows only when its parent closes, so the children are kept as read until then.
 */
class ArrayChildren {
	readonly names: string[] = [];
	readonly kinds: number[] = [];
	readonly results: ElementResult[] = [];

	/** The items, if this element is the field's only one. */
	items(kind: number): XmlValue[] {
		const items: XmlValue[] = new Array(this.results.length);
		for (let index = 0; index < items.length; index++) items[index] = valueOf(this.results[index], kind);
		return items;
	}

	/** The object, if this element is one of the field's several. */
	object(): IDataObject {
		const fields = new Fields();
		for (let index = 0; index < this.names.length; index++) {
			fields.add(this.names[index], this.kinds[index], this.results[index]);
		}
		return fields.object ?? {};
	}
}

/** A field's text as the JSON form has it: a number field's number, otherwise the text. */
function scalar(text: string, kind: number): string | number {
	if ((kind & NUMBER) === 0) return text;
	let start = 0;
	let end = text.length;
	while (start < end && isSpace(text.charCodeAt(start))) start++;
	while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
	if (!isNumberText(text, start, end)) return text;
	if (end - start <= 15) {
		// Digits only (the most common number by far): exact in a double, read here.
		let value = 0;
		let position = start;
		for (let code = text.charCodeAt(position); code >= 0x30 && code <= 0x39; code = text.charCodeAt(++position)) {
			value = value * 10 + (code - 0x30);
		}
		if (position === end) return value;
	}
	return Number(start === 0 && end === text.length ? text : text.slice(start, end));
}

/** Whether `text` from `start` to `end` is a JSON number: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`. */
function isNumberText(text: string, start: number, end: number): boolean {
	let position = start;
	if (text.charCodeAt(position) === 0x2d) position++;
	const first = text.charCodeAt(position);
	if (first === 0x30) position++;
	else if (first >= 0x31 && first <= 0x39) position = digitsEnd(text, position + 1, end);
	else return false;
	if (text.charCodeAt(position) === 0x2e) {
		const fraction = position + 1;
		position = digitsEnd(text, fraction, end);
		if (position === fraction) return false;
	}
	const exponent = text.charCodeAt(position);
	if (position < end && (exponent === 0x65 || exponent === 0x45)) {
		position++;
		const sign = text.charCodeAt(position);
		if (sign === 0x2b || sign === 0x2d) position++;
		const digits = position;
		position = digitsEnd(text, digits, end);
		if (position === digits) return false;
	}
	return position === end;
}

function digitsEnd(text: string, start: number, end: number): number {
	let position = start;
	while (position < end && isAscii(text.charCodeAt(position), DIGIT)) position++;
	return position;
}

/** An element's value as one field (or one item of a field of `kind`): typed text, or an object. */
function valueOf(result: ElementResult, kind: number): XmlValue {
	if (typeof result === 'string') return scalar(result, kind);
	return result instanceof ArrayChildren ? result.object() : result;
}

/**
 * An array field written once: a wrapper whose every child is an item (the items' element name is
 * free), an empty wrapper (an empty array), or the one item's text.
 */
function arrayValue(result: ElementResult, kind: number): XmlValue {
	if (result instanceof ArrayChildren) return result.items(kind) as XmlValue;
	if (typeof result === 'string') return (result.trim() === '' ? [] : [scalar(result, kind)]) as XmlValue;
	return [result];
}

/** Marks an array field that occurred more than once: its value is then one item per element. */
const REPEATED = 0;

/** How many field names an object keeps a list of, to tell a repeated name from a new one. */
const LISTED_FIELDS = 8;

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** An object's fields as its child elements close, in the order each name first occurs. */
class Fields {
	object: IDataObject | undefined = undefined;
	/** The first names of `object`'s fields; `count` fields in all. */
	private readonly listed: string[] = [];
	private count = 0;
	/** For each array field, its first element's result, until a second makes it REPEATED. */
	private firsts: Map<string, ElementResult | typeof REPEATED> | undefined = undefined;

	reset(): void {
		this.object = undefined;
		this.count = 0;
		this.firsts = undefined;
	}

	add(name: string, kind: number, result: ElementResult): void {
		let object = this.object;
		let present = false;
		if (object === undefined) {
			object = this.object = {};
		} else if (this.count <= LISTED_FIELDS) {
			for (let index = 0; index < this.count; index++) {
				if (this.listed[index] === name) {
					present = true;
					break;
				}
			}
		} else {
			present = hasOwn(object, name);
		}
		if (!present) {
			if (this.count < LISTED_FIELDS) this.listed[this.count] = name;
			this.count++;
		}

		if ((kind & ARRAY) !== 0) {
			const firsts = (this.firsts ??= new Map());
			if (!present) {
				set(object, name, arrayValue(result, kind));
				firsts.set(name, result);
				return;
			}
			const first = firsts.get(name) as ElementResult | typeof REPEATED;
			if (first === REPEATED) {
				(object[name] as XmlValue[]).push(valueOf(result, kind));
			} else {
				set(object, name, [valueOf(first, kind), valueOf(result, kind)] as XmlValue);
				firsts.set(name, REPEATED);
			}
			return;
		}
		const value = valueOf(result, kind);
		if (!present) set(object, name, value);
		else {
			const existing = object[name];
			// Any other field's value is a string, a number or an object: an array means repeated.
			if (Array.isArray(existing)) (existing as XmlValue[]).push(value);
			else set(object, name, [existing, value] as XmlValue);
		}
	}
}

/** A field set as an own property: an element named __proto__ is a field like any other. */
function set(object: IDataObject, name: string, value: XmlValue): void {
	if (name === '__proto__') Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
	else object[name] = value;
}

/** An open element of the item being built. */
class Frame {
	name = '';
	kind = 0;
	readonly fields = new Fields();
	children: ArrayChildren | undefined = undefined;
}

/** Builds the item from the reader's reports: each element's value as it closes. */
class ItemBuilder implements XmlSink {
	/** The open elements known to have children; `depth + 1` of them are in use. */
	private readonly frames: Frame[] = [];
	private depth = -1;
	/** The element opened last, until it closes or a child of it opens. */
	private pendingName = '';
	private pendingKind = 0;
	private pending = false;
	/** What `types` says of each name, by the reader's id for it. */
	private readonly kindNames: Array<string | undefined> = new Array(NAME_CACHE_SIZE);
	private readonly kinds = new Uint8Array(NAME_CACHE_SIZE);
	/** The root's result, once it has closed. */
	result: ElementResult = '';

	constructor(private readonly types: XmlFieldTypes) {}

	open(name: string, id: number): void {
		let kind = this.kinds[id];
		if (this.kindNames[id] !== name) {
			kind = (this.types.numbers.has(name) ? NUMBER : 0) | (this.types.arrays.has(name) ? ARRAY : 0);
			this.kindNames[id] = name;
			this.kinds[id] = kind;
		}
		if (this.pending) this.openFrame();
		this.pendingName = name;
		this.pendingKind = kind;
		this.pending = true;
	}

	/** The pending element has a child: it gets a frame to gather its children in. */
	private openFrame(): void {
		const depth = ++this.depth;
		let frame = this.frames[depth];
		if (frame === undefined) frame = this.frames[depth] = new Frame();
		else {
			frame.fields.reset();
			frame.children = undefined;
		}
		frame.name = this.pendingName;
		frame.kind = this.pendingKind;
	}

	leaf(text: string): void {
		this.pending = false;
		this.closed(this.pendingName, this.pendingKind, text);
	}

	close(): void {
		const frame = this.frames[this.depth--];
		this.closed(frame.name, frame.kind, frame.children ?? frame.fields.object ?? {});
	}

	private closed(name: string, kind: number, result: ElementResult): void {
		if (this.depth < 0) {
			this.result = result;
			return;
		}
		const parent = this.frames[this.depth];
		if ((parent.kind & ARRAY) !== 0) {
			const children = (parent.children ??= new ArrayChildren());
			children.names.push(name);
			children.kinds.push(kind);
			children.results.push(result);
		} else {
			parent.fields.add(name, kind, result);
		}
	}
}

/** The envelope an XML document describes: the root's children as fields, typed by `types`. */
export function xmlToObject(xml: string, types: XmlFieldTypes): IDataObject {
	const builder = new ItemBuilder(types);
	new XmlReader(xml, builder).read();
	const root = builder.result;
	if (typeof root === 'string') return {};
	return root instanceof ArrayChildren ? root.object() : root;
}
