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
 */

export interface XmlElement {
	name: string;
	children: XmlElement[];
	text: string;
}

export const MAX_DEPTH = 32;

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTES = /(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(\/?)>/y;
const CLOSE_REST = /\s*>/y;
const ENTITY = /&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g;
const BARE_AMPERSAND = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export class XmlSyntaxError extends Error {}

function decodeText(text: string): string {
	if (!text.includes('&')) return text;
	if (BARE_AMPERSAND.test(text)) throw new XmlSyntaxError('unknown entity or bare ampersand');
	return text.replace(ENTITY, (_match, entity: string) => {
		if (entity[0] !== '#') return PREDEFINED[entity];
		const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
		if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
			throw new XmlSyntaxError('invalid character reference');
		}
		return String.fromCodePoint(code);
	});
}

/** Parses a document into its root element. Runs in time linear in the input, without recursion. */
export function parseXml(xml: string): XmlElement {
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;
	let position = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
	let pendingText = '';

	const addText = (raw: string, decode: boolean) => {
		if (stack.length === 0) {
			if (raw.trim() !== '') throw new XmlSyntaxError('text outside the root element');
			return;
		}
		pendingText += decode ? decodeText(raw) : raw;
	};

	while (position < xml.length) {
		const open = xml.indexOf('<', position);
		if (open === -1) {
			addText(xml.slice(position), true);
			break;
		}
		if (open > position) addText(xml.slice(position, open), true);

		if (xml.startsWith('<!--', open)) {
			const end = xml.indexOf('-->', open + 4);
			if (end === -1) throw new XmlSyntaxError('unclosed comment');
			position = end + 3;
		} else if (xml.startsWith('<![CDATA[', open)) {
			const end = xml.indexOf(']]>', open + 9);
			if (end === -1 || stack.length === 0) throw new XmlSyntaxError('misplaced CDATA section');
			addText(xml.slice(open + 9, end), false);
			position = end + 3;
		} else if (xml.startsWith('<!', open)) {
			throw new XmlSyntaxError('DOCTYPE and entity declarations are not supported');
		} else if (xml.startsWith('<?', open)) {
			const end = xml.indexOf('?>', open + 2);
			if (end === -1) throw new XmlSyntaxError('unclosed processing instruction');
			position = end + 2;
		} else if (xml.startsWith('</', open)) {
			NAME.lastIndex = open + 2;
			const name = NAME.exec(xml)?.[0];
			CLOSE_REST.lastIndex = NAME.lastIndex;
			const element = stack.pop();
			if (name === undefined || element?.name !== name || !CLOSE_REST.test(xml)) {
				throw new XmlSyntaxError('mismatched closing tag');
			}
			finishText(element, pendingText);
			pendingText = '';
			position = CLOSE_REST.lastIndex;
		} else {
			NAME.lastIndex = open + 1;
			const name = NAME.exec(xml)?.[0];
			if (name === undefined) throw new XmlSyntaxError('invalid tag');
			ATTRIBUTES.lastIndex = NAME.lastIndex;
			const tagEnd = ATTRIBUTES.exec(xml);
			if (tagEnd === null) throw new XmlSyntaxError('invalid tag');
			position = ATTRIBUTES.lastIndex;

			if (stack.length >= MAX_DEPTH) throw new XmlSyntaxError('nested too deeply');
			const element: XmlElement = { name, children: [], text: '' };
			const parent = stack[stack.length - 1];
			if (parent === undefined) {
				if (root !== undefined) throw new XmlSyntaxError('more than one root element');
				root = element;
			} else {
				if (pendingText.trim() !== '') throw new XmlSyntaxError('text beside child elements');
				pendingText = '';
				parent.children.push(element);
			}
			if (tagEnd[1] !== '/') stack.push(element);
		}
	}
	if (stack.length > 0) throw new XmlSyntaxError('unclosed element');
	if (root === undefined) throw new XmlSyntaxError('no root element');
	return root;
}

function finishText(element: XmlElement, text: string): void {
	if (element.children.length === 0) element.text = text;
	else if (text.trim() !== '') throw new XmlSyntaxError('text beside child elements');
}

/** How a field's text is typed, so the XML form gives the same values as the JSON form. */
export interface XmlFieldTypes {
	numbers: ReadonlySet<string>;
	arrays: ReadonlySet<string>;
}

const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

type XmlValue = IDataObject[string];

function scalar(text: string, field: string, types: XmlFieldTypes): string | number {
	return types.numbers.has(field) && NUMBER_TEXT.test(text.trim()) ? Number(text.trim()) : text;
}

function value(element: XmlElement, field: string, types: XmlFieldTypes): XmlValue {
	return element.children.length === 0 ? scalar(element.text, field, types) : fields(element.children, types);
}

/**
 * An array field is written as repeated elements, or as one wrapper element whose every child
 * is an item (the items' element name is free); an empty wrapper is an empty array.
 */
function arrayValue(occurrences: XmlElement[], field: string, types: XmlFieldTypes): XmlValue {
	if (occurrences.length === 1) {
		const [only] = occurrences;
		if (only.children.length > 0) return only.children.map((item) => value(item, field, types)) as XmlValue;
		return only.text.trim() === '' ? [] : [scalar(only.text, field, types)];
	}
	return occurrences.map((item) => value(item, field, types)) as XmlValue;
}

function fields(children: XmlElement[], types: XmlFieldTypes): IDataObject {
	const byName = new Map<string, XmlElement[]>();
	for (const child of children) {
		const group = byName.get(child.name);
		if (group) group.push(child);
		else byName.set(child.name, [child]);
	}
	// fromEntries defines own properties, so an element named __proto__ is a field like any other.
	return Object.fromEntries(
		[...byName].map(([name, occurrences]): [string, XmlValue] => [
			name,
			types.arrays.has(name) || occurrences.length > 1
				? arrayValue(occurrences, name, types)
				: value(occurrences[0], name, types),
		]),
	);
}

/** The envelope an XML document describes: the root's children as fields, typed by `types`. */
export function xmlToObject(xml: string, types: XmlFieldTypes): IDataObject {
	return fields(parseXml(xml).children, types);
}
