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
 * One pass over the text, without recursion: the reader reports each element as it opens and
 * closes, and `xmlToObject` builds the item from those reports as it goes, so no element tree is
 * built for a delivery. A record (an element whose children are all leaves) written as the one
 * before it is read in one step (see RecordShape); its pattern is the only regular expression run
 * over the body, and it reads in time linear in what it reads. A large body is read in chunks of
 * its text (see xmlTextChunks): the reader keeps positions within the chunk it reads only.
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
	/**
	 * The innermost open element (just opened) had the leaf children `shape` names, with the first
	 * of these texts, decoded, and closed; then `count - 1` more of the same element followed, each
	 * with the next texts. What `open` and `leaf` for each child, then `close`, for the first, and
	 * the same after `open` of the element for each other, would report.
	 */
	records(shape: RecordShape, texts: readonly string[], count: number): void;
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

/** Which of PREDEFINED is written at `position` (after an `&`), or -1. */
function predefinedAt(xml: string, position: number): number {
	const first = xml.charCodeAt(position);
	for (let index = 0; index < PREDEFINED.length; index++) {
		const entity = PREDEFINED[index][0];
		if (entity.charCodeAt(0) !== first) continue;
		let at = 1;
		while (at < entity.length && xml.charCodeAt(position + at) === entity.charCodeAt(at)) at++;
		if (at === entity.length) return index;
	}
	return -1;
}

/** The most digits a decimal (`&#…;`) and a hexadecimal (`&#x…;`) reference may have. */
const DECIMAL_DIGITS = 7;
const HEX_DIGITS = 6;

const NAME_CACHE_SIZE = 256;

/** The same text as the engine's own copy of it, the one property keys use. */
function internalized(text: string): string {
	return Object.keys({ [text]: true })[0];
}

/** An element name's text, and its tags as written without attributes or spaces, interned. */
class Spelling {
	readonly openTag: string;
	readonly closeTag: string;

	constructor(readonly text: string) {
		this.openTag = internalized(`<${text}>`);
		this.closeTag = internalized(`</${text}>`);
	}
}

/**
 * Spellings kept from one document to the next, by the same hash as a document's names (interning
 * costs more than reading a small envelope, whose names are the same every time). A name longer than
 * SPELLING_LIMIT is not kept; another name with the same hash takes the place.
 */
const SPELLINGS: Array<Spelling | undefined> = new Array(NAME_CACHE_SIZE);
const SPELLING_LIMIT = 64;

/** An element name read in this document. */
class Name {
	readonly text: string;
	readonly openTag: string;
	readonly closeTag: string;
	/** The name opened after this one last time: likely the next one again, as envelopes repeat. */
	next: Name = this;
	/** How this element was written last time it had only leaf children, if it had. */
	record: RecordShape | undefined = undefined;

	constructor(
		spelling: Spelling,
		readonly id: number,
	) {
		this.text = spelling.text;
		this.openTag = spelling.openTag;
		this.closeTag = spelling.closeTag;
	}
}

/**
 * An element whose children were all leaves, each written `<name>text</name>`: its markup as
 * written, cut at its children's texts. Where the same element is next written the same way around
 * other texts, as every record of an array is, it is read in one step: each part of the markup is
 * compared as a whole and each text (up to the next `<`) sliced out between them. Any difference
 * and the element is read tag by tag instead, so the outcome is the same either way.
 */
class RecordShape {
	readonly names: readonly string[];
	readonly ids: readonly number[];
	/** No two children share a name, and none is named __proto__: each child is a field of its own. */
	readonly distinct: boolean;

	constructor(
		readonly element: Name,
		/**
		 * From the end of the element's open tag to its first child's text, then from each child's
		 * text to the next one's, then from the last text to the end of the element's close tag.
		 */
		readonly markup: readonly string[],
		readonly fields: readonly Name[],
	) {
		this.names = fields.map((field) => field.text);
		this.ids = fields.map((field) => field.id);
		this.distinct = new Set(this.names).size === this.names.length && !this.names.includes('__proto__');
	}

	private reads = 0;
	private compiled: RegExp | undefined = undefined;

	/**
	 * Once the shape has been read READS_BEFORE_PATTERN times in the document (so that a small body
	 * never compiles one), one sticky regular expression that matches it and up to
	 * RECORDS_PER_MATCH - 1 more of the same element written the same way: each part of the markup
	 * escaped, each text `[^<]*`. A text stops at the `<` that must follow it (every part after a
	 * text starts with `<`), so where a record differs, the match gives up that record after one
	 * pass over it and ends with the record before, which its optional end always accepts: linear in
	 * what it reads. V8 keeps what it compiled for the same source.
	 */
	pattern(): RegExp | undefined {
		if (this.compiled !== undefined || ++this.reads < READS_BEFORE_PATTERN) return this.compiled;
		let length = 0;
		for (const part of this.markup) length += part.length;
		if (length > PATTERN_MARKUP_LIMIT) return undefined;
		const escape = (part: string) => part.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
		// The record, then up to RECORDS_PER_MATCH - 1 more of the same element written the same way,
		// then, if the element is written again next, its open tag (white space may come before each).
		const record = this.markup.map(escape).join('[^<]*');
		const next = `[\\t\\n\\r ]*${escape(this.element.openTag)}`;
		this.compiled = new RegExp(`${record}(?:${next}${record}){0,${RECORDS_PER_MATCH - 1}}(?:${next})?`, 'y');
		return this.compiled;
	}
}

/** How many records of one shape are read by comparing its parts, before its pattern is compiled. */
const READS_BEFORE_PATTERN = 64;
/** How many records one match of a pattern reads at most. */
const RECORDS_PER_MATCH = 64;
/** A shape whose markup is longer than this is never compiled. */
const PATTERN_MARKUP_LIMIT = 2048;
/** How many times per document indexOf() may search past a position before startsWith() is used. */
const SEARCHES_PAST = 16;

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
	/**
	 * The first `&` in the chunk at or after where text was last looked at (`xml.length` when none is
	 * left, -1 when the chunk has not been searched yet).
	 */
	private nextAmpersand = -1;
	/** Where each open element's open tag ends in the chunk (-1 if in a chunk before). */
	private readonly openEnds: number[] = [];
	/**
	 * The element whose children are being noted for its RecordShape (an index into `open`), or -1:
	 * so far every child of it was a leaf written `<name>text</name>`, and nothing else was in it.
	 */
	private shapeOf = -1;
	private shapeFields: Name[] = [];
	/** Where each noted child's text starts and ends. */
	private shapeTexts: number[] = [];
	/** The texts of the record read last in one step. */
	private readonly texts: string[] = [];
	/** How many times `isAt` searched on past a position. */
	private misses = 0;
	/** The record read last was followed by the same element's open tag, which was read with it. */
	private nextOpened = false;
	/** The chunk being read: every position the reader keeps is in it. */
	private xml: string;
	/** The next of `chunks` to read. */
	private nextChunk = 1;

	constructor(
		/** The document's text: one chunk, or several, each after the first starting with `<`. */
		private readonly chunks: readonly string[],
		private readonly sink: XmlSink,
		/** Whether a record written as the one before it is read in one step. */
		private readonly recordsInOneStep: boolean,
	) {
		this.xml = chunks.length > 0 ? chunks[0] : '';
	}

	read(): void {
		let xml = this.xml;
		let position = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
		for (;;) {
			if (position >= xml.length) {
				if (this.nextChunk >= this.chunks.length) break;
				this.startChunk(this.chunks[this.nextChunk++]);
				xml = this.xml;
				position = 0;
			}
			let open = position;
			if (xml.charCodeAt(position) !== LESS_THAN) {
				open = xml.indexOf('<', position);
				if (open === -1) {
					this.addText(position, xml.length);
					position = xml.length;
					continue;
				}
				this.addText(position, open);
			}
			const next = xml.charCodeAt(open + 1);
			if (next === SLASH) position = this.closeTag(open);
			else if (next === EXCLAMATION || next === QUESTION) {
				position = next === EXCLAMATION ? this.declaration(open) : this.instruction(open);
				xml = this.xml;
			} else position = this.openTag(open);
		}
		if (this.depth > 0) throw new XmlSyntaxError('unclosed element');
		if (!this.rootSeen) throw new XmlSyntaxError('no root element');
	}

	/**
	 * Reads `text` from here on: positions kept in the chunk before no longer apply, so the elements
	 * open now are not noted for a RecordShape (`openEnds` -1), nor is the one being noted.
	 */
	private startChunk(text: string): void {
		this.xml = text;
		this.nextAmpersand = -1;
		this.shapeOf = -1;
		this.openEnds.fill(-1, 0, this.depth);
	}

	/**
	 * `open`, where a comment, CDATA section or processing instruction starts, once its `terminator`
	 * (looked for from `open + skip` on) is in the chunk. Each of these may hold `<`, so it may run on
	 * into the next chunks: if so, the rest of the document is joined to the chunk from `open` on, and
	 * `open` is then 0.
	 */
	private reachingEnd(open: number, terminator: string, skip: number): number {
		if (this.nextChunk >= this.chunks.length || this.xml.indexOf(terminator, open + skip) !== -1) return open;
		const rest = this.chunks.slice(this.nextChunk).join('');
		this.nextChunk = this.chunks.length;
		this.startChunk(this.xml.slice(open) + rest);
		return 0;
	}

	/** A processing instruction `<?…?>`, read past. */
	private instruction(start: number): number {
		this.shapeOf = -1;
		const open = this.reachingEnd(start, '?>', 2);
		const end = this.xml.indexOf('?>', open + 2);
		if (end === -1) throw new XmlSyntaxError('unclosed processing instruction');
		return end + 2;
	}

	/** A comment or a CDATA section; anything else starting `<!` (DOCTYPE, ENTITY, ...) is refused. */
	private declaration(start: number): number {
		this.shapeOf = -1;
		let xml = this.xml;
		if (xml.startsWith('--', start + 2)) {
			const open = this.reachingEnd(start, '-->', 4);
			const end = this.xml.indexOf('-->', open + 4);
			if (end === -1) throw new XmlSyntaxError('unclosed comment');
			return end + 3;
		}
		if (xml.startsWith('[CDATA[', start + 2)) {
			const open = this.reachingEnd(start, ']]>', 9);
			xml = this.xml;
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
		let end: number;
		if (name !== undefined && this.isAt(name.openTag, open)) {
			end = open + name.openTag.length;
		} else {
			name = this.name(open + 1);
			if (last !== undefined) last.next = name;
			end = open + 1 + name.text.length;
			if (xml.charCodeAt(end) !== GREATER_THAN) {
				this.last = name;
				this.shapeOf = -1;
				end = this.skipAttributes(end);
				const selfClosing = xml.charCodeAt(end) === SLASH;
				if (selfClosing) end++;
				if (xml.charCodeAt(end) !== GREATER_THAN) throw new XmlSyntaxError('invalid tag');
				this.openElement(name, selfClosing);
				if (!selfClosing) this.openEnds[this.depth - 1] = end + 1;
				return end + 1;
			}
			end++;
		}
		this.last = name;
		const parent = this.depth - 1;
		const firstChild = !this.hasChildren;
		this.openElement(name, false);
		this.openEnds[parent + 1] = end;
		if (firstChild) {
			// Not where the parent was opened in a chunk before: its open tag's end is not known.
			this.shapeOf = this.openEnds[parent] === -1 ? -1 : parent;
			this.shapeFields = [];
			this.shapeTexts = [];
		}
		if (this.shapeOf === parent) {
			this.shapeFields.push(name);
			this.shapeTexts.push(end);
		}
		return name.record !== undefined && this.recordsInOneStep ? this.readRecords(name, end) : end;
	}

	/**
	 * `name`, just opened, and the same element following it directly, as long as each is written as
	 * its RecordShape: answers the position after the last one read so, or after the open tag of
	 * the one that is not (which is left open, as `openTag` leaves it).
	 */
	private readRecords(name: Name, start: number): number {
		const shape = name.record as RecordShape;
		let opened = start;
		for (;;) {
			const end = this.readRecord(shape, opened);
			if (end === -1) return opened;
			if (this.nextOpened) opened = end;
			else if (this.isAt(name.openTag, end)) opened = end + name.openTag.length;
			else return end;
			// The next sibling is the same element: opened as openElement opens a later child.
			this.sink.open(name.text, name.id);
			this.open[this.depth] = name;
			this.openEnds[this.depth] = opened;
			this.depth++;
			this.hasChildren = false;
			this.last = name;
		}
	}

	/**
	 * The element just opened, if it is written as `shape` from `start` on: its children read and
	 * reported, and the element closed; answers the position after it, or -1 if it is written
	 * otherwise (nothing then has been reported or changed, so it is read tag by tag). With the
	 * shape's pattern, the same element's open tag right after it is read too (`nextOpened`).
	 */
	private readRecord(shape: RecordShape, start: number): number {
		if (this.depth >= MAX_DEPTH) return -1;
		const xml = this.xml;
		const { markup } = shape;
		const texts = this.texts;
		let position = start;
		const pattern = shape.pattern();
		if (pattern !== undefined) {
			pattern.lastIndex = start;
			if (!pattern.test(xml)) return -1;
			const end = pattern.lastIndex;
			const { openTag } = shape.element;
			// The match ends in the element's close tag `</name>`, or in the next one's open tag `<name>`.
			this.nextOpened = xml.charCodeAt(end - openTag.length) === LESS_THAN;
			const encoded = this.hasAmpersand(start, end);
			const fields = markup.length - 1;
			let count = 0;
			for (;;) {
				position += markup[0].length;
				for (let index = 1; index <= fields; index++) {
					const textEnd = xml.indexOf('<', position);
					texts[count * fields + index - 1] =
						encoded && this.hasAmpersand(position, textEnd) ? this.decode(position, textEnd) : xml.slice(position, textEnd);
					position = textEnd + markup[index].length;
				}
				count++;
				if (position === end) break;
				// White space, then the next one's open tag: of a record read in this match, or the last.
				const next = xml.charCodeAt(position) === LESS_THAN ? position : xml.indexOf('<', position);
				if (this.nextOpened && next === end - openTag.length) break;
				position = next + openTag.length;
			}
			this.closeRecords(shape, texts, count);
			return end;
		}
		if (!this.isAt(markup[0], start)) return -1;
		// Texts are decoded as they are reached: where a later part differs, the first `&` at or
		// after `start` is put back, as the element is then read again tag by tag. (Putting back a
		// position before `start` would send a later record's search over the rest of the document
		// again: records that each differ would be read in quadratic time.)
		const ampersand = this.ampersandFrom(start);
		position += markup[0].length;
		for (let index = 1; index < markup.length; index++) {
			const end = xml.indexOf('<', position);
			const part = markup[index];
			if (end === -1 || !this.isAt(part, end)) {
				this.nextAmpersand = ampersand;
				return -1;
			}
			texts[index - 1] = this.hasAmpersand(position, end) ? this.decode(position, end) : xml.slice(position, end);
			position = end + part.length;
		}
		this.nextOpened = false;
		this.closeRecords(shape, texts, 1);
		return position;
	}

	private closeRecords(shape: RecordShape, texts: readonly string[], count: number): void {
		this.sink.records(shape, texts, count);
		this.depth--;
		this.hasChildren = true;
		this.shapeOf = -1;
		this.last = shape.fields[shape.fields.length - 1];
	}

	/** Whether `part` (of two characters or more) is written at `position`. */
	private isAt(part: string, position: number): boolean {
		const xml = this.xml;
		const last = part.length - 1;
		if (xml.charCodeAt(position + 1) !== part.charCodeAt(1) || xml.charCodeAt(position + last) !== part.charCodeAt(last)) {
			return false;
		}
		// indexOf() answers a match at `position` faster than startsWith(), but searches on past it.
		if (this.misses < SEARCHES_PAST) {
			if (this.xml.indexOf(part, position) === position) return true;
			this.misses++;
			return false;
		}
		return this.xml.startsWith(part, position);
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
		const length = position - start;
		const cached = this.names[id];
		if (cached !== undefined && cached.text.length === length && xml.startsWith(cached.text, start)) return cached;
		let spelling = SPELLINGS[id];
		if (spelling === undefined || spelling.text.length !== length || !xml.startsWith(spelling.text, start)) {
			spelling = new Spelling(internalized(xml.slice(start, position)));
			if (length <= SPELLING_LIMIT) SPELLINGS[id] = spelling;
		}
		const name = new Name(spelling, id);
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
		const index = this.depth - 1;
		if (index < 0) throw new XmlSyntaxError('mismatched closing tag');
		const name = this.open[index];
		let end: number;
		if (this.isAt(name.closeTag, open)) {
			end = open + name.closeTag.length;
			if (!this.hasChildren) {
				// A leaf: if it is a child of the element being noted, its text ends here.
				if (this.shapeOf === index - 1) this.shapeTexts.push(open);
			} else if (this.shapeOf === index) {
				this.noteShape(name, end);
			}
		} else {
			// Only white space may come between the name and `>`.
			this.shapeOf = -1;
			end = open + 2 + name.text.length;
			if (!xml.startsWith(name.text, open + 2) || !isSpace(xml.charCodeAt(end))) {
				throw new XmlSyntaxError('mismatched closing tag');
			}
			while (isSpace(xml.charCodeAt(end))) end++;
			if (xml.charCodeAt(end) !== GREATER_THAN) throw new XmlSyntaxError('mismatched closing tag');
			end++;
		}
		// An element with children closed: its parent has a child that is no leaf.
		if (this.hasChildren) this.shapeOf = -1;
		this.closeElement();
		return end;
	}

	/** `name`, whose children were all noted, closes at `end`: how it was written is kept. */
	private noteShape(name: Name, end: number): void {
		const xml = this.xml;
		const texts = this.shapeTexts;
		const markup = [xml.slice(this.openEnds[this.depth - 1], texts[0])];
		for (let index = 1; index < texts.length - 1; index += 2) markup.push(xml.slice(texts[index], texts[index + 1]));
		markup.push(xml.slice(texts[texts.length - 1], end));
		name.record = new RecordShape(name, markup, this.shapeFields);
	}

	private closeElement(): void {
		if (this.hasChildren) this.sink.close();
		else this.sink.leaf(this.takeText());
		this.depth--;
		this.hasChildren = true;
	}

	/** Character data from `start` to `end` (entities not yet decoded). */
	private addText(start: number, end: number): void {
		if (this.depth === 0) {
			if (!this.isBlank(start, end)) throw new XmlSyntaxError('text outside the root element');
			return;
		}
		const encoded = this.hasAmpersand(start, end);
		if (this.hasChildren) {
			if (encoded) {
				if (this.decode(start, end).trim() !== '') throw new XmlSyntaxError('text beside child elements');
			} else if (!this.isBlank(start, end)) {
				throw new XmlSyntaxError('text beside child elements');
			}
			return;
		}
		this.addPiece(encoded ? this.decode(start, end) : this.xml.slice(start, end));
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

	/** Whether there is an `&` from `start` to `end`. */
	private hasAmpersand(start: number, end: number): boolean {
		return this.ampersandFrom(start) < end;
	}

	/**
	 * The first `&` at or after `start` (`xml.length` if there is none), kept in `nextAmpersand`:
	 * every search starts past the one before.
	 */
	private ampersandFrom(start: number): number {
		if (this.nextAmpersand < start) {
			const found = this.xml.indexOf('&', start);
			this.nextAmpersand = found === -1 ? this.xml.length : found;
		}
		return this.nextAmpersand;
	}

	/**
	 * The text from `start` to `end` with its references replaced; its first `&` is at
	 * `nextAmpersand`. A bare `&` or an unknown entity anywhere in it is refused before an
	 * invalid character reference is.
	 */
	private decode(start: number, end: number): string {
		const xml = this.xml;
		// Joined with +: for a few parts, several times faster than Array.prototype.join.
		let text = '';
		let from = start;
		let invalidReference = false;
		for (let ampersand = this.nextAmpersand; ampersand < end; ) {
			if (ampersand > from) text += xml.slice(from, ampersand);
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
					else text += String.fromCodePoint(code);
					after = position + 1;
				}
			} else {
				const predefined = predefinedAt(xml, ampersand + 1);
				if (predefined !== -1) {
					const [entity, char] = PREDEFINED[predefined];
					text += char;
					after = ampersand + 1 + entity.length;
				}
			}
			if (after === -1 || after > end) throw new XmlSyntaxError('unknown entity or bare ampersand');
			from = after;
			const found = xml.indexOf('&', from);
			ampersand = found === -1 ? xml.length : found;
			this.nextAmpersand = ampersand;
		}
		if (invalidReference) throw new XmlSyntaxError('invalid character reference');
		return from < end ? text + xml.slice(from, end) : text;
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

	records(shape: RecordShape, texts: readonly string[], count: number): void {
		reportTagByTag(this, shape, texts, count);
	}
}

/** What `records` reports, told to `sink` as `open`, `leaf` and `close` of each element. */
function reportTagByTag(sink: XmlSink, shape: RecordShape, texts: readonly string[], count: number): void {
	const { names, ids, element } = shape;
	const fields = names.length;
	for (let record = 0; record < count; record++) {
		if (record > 0) sink.open(element.text, element.id);
		for (let index = 0; index < fields; index++) {
			sink.open(names[index], ids[index]);
			sink.leaf(texts[record * fields + index]);
		}
		sink.close();
	}
}

/**
 * Parses a document into its root element, reading it tag by tag (no record in one step). Runs in
 * time linear in the input, without recursion.
 */
export function parseXml(xml: string): XmlElement {
	const tree = new TreeBuilder();
	new XmlReader([xml], tree, false).read();
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
	readonly results: ElementResult[] = [];
	/** Every result is an object as it is (no text to type, no ArrayChildren to resolve). */
	private objects = true;
	/** The first child's name and kind, and, once a child's differs, every child's. */
	private name = '';
	private kind = 0;
	private names: string[] | undefined = undefined;
	private kinds: number[] | undefined = undefined;

	add(name: string, kind: number, result: ElementResult): void {
		this.addObject(name, kind, result);
		if (this.objects && (typeof result === 'string' || result instanceof ArrayChildren)) this.objects = false;
	}

	/** `add` for a result known to be an object as it is. */
	addObject(name: string, kind: number, result: ElementResult): void {
		const results = this.results;
		if (this.names !== undefined) {
			this.names.push(name);
			(this.kinds as number[]).push(kind);
		} else if (results.length === 0) {
			this.name = name;
			this.kind = kind;
		} else if (name !== this.name) {
			this.names = new Array<string>(results.length).fill(this.name);
			this.kinds = new Array<number>(results.length).fill(this.kind);
			this.names.push(name);
			this.kinds.push(kind);
		}
		results.push(result);
	}

	/** The items, if this element is the field's only one. */
	items(kind: number): XmlValue[] {
		if (this.objects) return this.results as XmlValue[];
		const items: XmlValue[] = new Array(this.results.length);
		for (let index = 0; index < items.length; index++) items[index] = valueOf(this.results[index], kind);
		return items;
	}

	/** The object, if this element is one of the field's several. */
	object(): IDataObject {
		const fields = new Fields();
		for (let index = 0; index < this.results.length; index++) {
			fields.add(this.names?.[index] ?? this.name, this.kinds?.[index] ?? this.kind, this.results[index]);
		}
		return fields.object ?? {};
	}
}

/** A field's text as the JSON form has it: a number field's number, otherwise the text. */
function scalar(text: string, kind: number): string | number {
	if ((kind & NUMBER) === 0) return text;
	// Digits only, without a leading zero (the most common number by far): exact in a double.
	const length = text.length;
	if (length >= 1 && length <= 15) {
		let value = 0;
		let position = 0;
		for (; position < length; position++) {
			const digit = text.charCodeAt(position) - 0x30;
			if (digit < 0 || digit > 9) break;
			value = value * 10 + digit;
		}
		if (position === length && (length === 1 || text.charCodeAt(0) !== 0x30)) return value;
	}
	let start = 0;
	let end = text.length;
	while (start < end && isSpace(text.charCodeAt(start))) start++;
	while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
	if (!isNumberText(text, start, end)) return text;
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

/**
 * A record's object: each of its texts (from `texts[first]` on), typed, as the field of the same
 * index. Up to four fields, each is set at a line of its own, which sees one name per record shape
 * and so stays fast, where one loop's store would see every name.
 */
function recordObject(names: readonly string[], kinds: readonly number[], texts: readonly string[], first: number): IDataObject {
	const object: IDataObject = {};
	const fields = names.length;
	if (fields > 4) {
		for (let index = 0; index < fields; index++) object[names[index]] = typed(texts, first, kinds, index);
		return object;
	}
	object[names[0]] = typed(texts, first, kinds, 0);
	if (fields > 1) object[names[1]] = typed(texts, first, kinds, 1);
	if (fields > 2) object[names[2]] = typed(texts, first, kinds, 2);
	if (fields > 3) object[names[3]] = typed(texts, first, kinds, 3);
	return object;
}

/** The text of field `index` of the record whose texts start at `first`, typed. */
function typed(texts: readonly string[], first: number, kinds: readonly number[], index: number): string | number {
	const text = texts[first + index];
	return kinds[index] === 0 ? text : scalar(text, kinds[index]);
}

/** What a set of field types says of the names last looked up, by the reader's id for each. */
interface KindCache {
	names: Array<string | undefined>;
	kinds: Uint8Array;
}
const KIND_CACHES = new WeakMap<XmlFieldTypes, KindCache>();

/** Builds the item from the reader's reports: each element's value as it closes. */
class ItemBuilder implements XmlSink {
	/** The open elements known to have children; `depth + 1` of them are in use. */
	private readonly frames: Frame[] = [];
	private depth = -1;
	/** The element opened last, until it closes or a child of it opens. */
	private pendingName = '';
	private pendingKind = 0;
	private pending = false;
	/** What `types` says of each name, by the reader's id for it (kept for the next document). */
	private readonly kinds: KindCache;
	/** The root's result, once it has closed. */
	result: ElementResult = '';
	/** The shape a record was last reported in, and the kinds of its fields if it is read at once. */
	private shape: RecordShape | undefined = undefined;
	private fieldKinds: number[] | undefined = undefined;

	constructor(private readonly types: XmlFieldTypes) {
		let kinds = KIND_CACHES.get(types);
		if (kinds === undefined) {
			kinds = { names: new Array(NAME_CACHE_SIZE), kinds: new Uint8Array(NAME_CACHE_SIZE) };
			KIND_CACHES.set(types, kinds);
		}
		this.kinds = kinds;
	}

	open(name: string, id: number): void {
		const kind = this.kindOf(name, id);
		if (this.pending) this.openFrame();
		this.pendingName = name;
		this.pendingKind = kind;
		this.pending = true;
	}

	private kindOf(name: string, id: number): number {
		const cache = this.kinds;
		if (cache.names[id] === name) return cache.kinds[id];
		const kind = (this.types.numbers.has(name) ? NUMBER : 0) | (this.types.arrays.has(name) ? ARRAY : 0);
		cache.names[id] = name;
		cache.kinds[id] = kind;
		return kind;
	}

	records(shape: RecordShape, texts: readonly string[], count: number): void {
		if (shape !== this.shape) this.learn(shape);
		const { names } = shape;
		const fields = names.length;
		const kinds = this.fieldKinds;
		if (kinds !== undefined && (this.pendingKind & ARRAY) === 0) {
			const name = this.pendingName;
			const kind = this.pendingKind;
			this.pending = false;
			const parent = this.depth >= 0 ? this.frames[this.depth] : undefined;
			if (parent !== undefined && (parent.kind & ARRAY) !== 0) {
				// Items of an array field, the common case: added as they are.
				const children = (parent.children ??= new ArrayChildren());
				for (let record = 0; record < count; record++) children.addObject(name, kind, recordObject(names, kinds, texts, record * fields));
				return;
			}
			for (let record = 0; record < count; record++) this.closed(name, kind, recordObject(names, kinds, texts, record * fields));
			return;
		}
		reportTagByTag(this, shape, texts, count);
	}

	/** What `types` says of the shape's children, if each is a field of its own and none an array. */
	private learn(shape: RecordShape): void {
		this.shape = shape;
		const kinds = shape.names.map((name, index) => this.kindOf(name, shape.ids[index]));
		this.fieldKinds = shape.distinct && kinds.every((kind) => (kind & ARRAY) === 0) ? kinds : undefined;
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
			(parent.children ??= new ArrayChildren()).add(name, kind, result);
		} else {
			parent.fields.add(name, kind, result);
		}
	}
}

/**
 * The envelope an XML document describes: the root's children as fields, typed by `types`. The
 * document is its text, or its text in chunks, each after the first starting with `<` (as
 * `xmlTextChunks` cuts it).
 */
export function xmlToObject(xml: string | readonly string[], types: XmlFieldTypes): IDataObject {
	const builder = new ItemBuilder(types);
	new XmlReader(typeof xml === 'string' ? [xml] : xml, builder, true).read();
	const root = builder.result;
	if (typeof root === 'string') return {};
	return root instanceof ArrayChildren ? root.object() : root;
}

/**
 * Every chunk of `xmlTextChunks` but the last starts CHUNK_BYTES or more before the next one; a body
 * of up to twice CHUNK_BYTES is one chunk. A chunk is longer where no `<` follows for a while.
 */
export const CHUNK_BYTES = 48 * 1024;

/**
 * UTF-8 `bytes` as text in chunks, each after the first starting at the first `<` CHUNK_BYTES or
 * more after the chunk before starts, while more than twice CHUNK_BYTES are left. The byte of `<`
 * is never part of a longer UTF-8 character, and a decoder gives one U+FFFD for a cut-off sequence
 * whether a `<` or the end follows it, so the chunks joined are the text the bytes decode to whole.
 * Text of a megabyte decoded whole is an object of its own, for which fresh memory is mapped at
 * every delivery (0.4 to 0.7 ms per megabyte here, most of it page faults); chunks of one-byte text
 * are allocated where the engine keeps short-lived objects, in memory it reuses.
 */
export function xmlTextChunks(bytes: Buffer): string[] {
	const chunks: string[] = [];
	for (let start = 0; start < bytes.length; ) {
		const cut = bytes.length - start > 2 * CHUNK_BYTES ? bytes.indexOf(LESS_THAN, start + CHUNK_BYTES) : -1;
		const end = cut === -1 ? bytes.length : cut;
		chunks.push(bytes.toString('utf8', start, end));
		start = end;
	}
	return chunks;
}
