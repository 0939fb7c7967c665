/**
 * Signed deliveries and demo settings for any provider of the one provider list: the samples, the
 * credential a delivery of a sample is accepted with, the headers a provider sends, and a way to
 * make a sample a delivery of its own (the triggers drop a delivery they already accepted).
 * Everything here is derived from the provider's facts and samples, so a new provider needs no edit.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

import type { Provider, Sample } from './providers';
import { signatureFor, type DigestEncoding } from './signer';

/** The exact text of one of the provider's samples, by file name (`job.completed.json`) or sample. */
export function sampleText(provider: Provider, sample: string | Sample): string {
	const file = typeof sample === 'string' ? provider.samples.find((candidate) => candidate.file.endsWith(`/${sample}`))?.file : sample.file;
	if (file === undefined) throw new Error(`${provider.facts.name} has no sample ${String(sample)} in ${provider.samplesDir}`);
	return fs.readFileSync(file, 'utf8');
}

/** A sample's name as `npm run send` takes it: its file name without the extension (`status_change.in_review`). */
export function sampleName(sample: Sample): string {
	return sample.file.replace(/^.*[\\/]/, '').replace(/\.(json|xml)$/, '');
}

/** The provider's plain sample of its first event that has one (`<event>.<format>`), else its first of that format. */
export function firstSample(provider: Provider, format: 'json' | 'xml' = 'json'): Sample {
	const ofFormat = provider.samples.filter((sample) => sample.format === format);
	for (const event of provider.facts.events) {
		const plain = ofFormat.find((sample) => sampleName(sample) === event.value);
		if (plain !== undefined) return plain;
	}
	if (ofFormat.length === 0) throw new Error(`${provider.facts.name} has no ${format.toUpperCase()} sample in ${provider.samplesDir}`);
	return ofFormat[0];
}

/** Every event value the provider's trigger offers, in its order. */
export function allEvents(provider: Provider): string[] {
	return provider.facts.events.map((event) => event.value);
}

/** `apiKey` → `api_key`: how a credential field is named in a delivery body. */
function snakeCase(name: string): string {
	return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `apiKey` → `api-key`: how a credential field is named on a command line. */
export function kebabCase(name: string): string {
	return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The body field that carries a credential field's value (SiteCapture's `apiKey` → `api_key`), if the samples carry one. */
export function bodyFieldOf(provider: Provider, field: string): string | undefined {
	const body = JSON.parse(sampleText(provider, firstSample(provider))) as Record<string, unknown>;
	return [snakeCase(field), field].find((name) => typeof body[name] === 'string');
}

/**
 * The credential a provider's samples are accepted with: `webhookSecret`, and each of the
 * provider's own credential fields with the value its samples carry (SiteCapture's `apiKey` is the
 * `api_key` of its sample), or `<prefix>-<key>-<field>` where no sample carries one.
 */
export function credentialData(provider: Provider, webhookSecret: string, prefix = 'demo'): Record<string, string> {
	const data: Record<string, string> = {};
	const sample = JSON.parse(sampleText(provider, firstSample(provider))) as Record<string, unknown>;
	for (const field of Object.keys(provider.facts.credential.fields ?? {})) {
		const inBody = bodyFieldOf(provider, field);
		data[field] = inBody === undefined ? `${prefix}-${provider.key}-${kebabCase(field)}` : String(sample[inBody]);
	}
	return { ...data, webhookSecret };
}

/** The values of the provider's own credential fields that a delivery carries (never the secrets), to keep out of stored data. */
export function carriedCredentialValues(provider: Provider, data: Record<string, string>): string[] {
	return Object.keys(provider.facts.credential.fields ?? {})
		.filter((field) => bodyFieldOf(provider, field) !== undefined)
		.map((field) => data[field]);
}

/** The demo secret `npm run dev` gives a provider's credential and `npm run send` signs with. */
export function demoSecret(provider: Provider): string {
	return `demo-${provider.key}-secret`;
}

/** The fixed webhook id of a provider's demo workflow: a UUID derived from its key. */
export function demoWebhookId(provider: Provider): string {
	const hex = createHash('sha256').update(`n8n-nodes-site-webhooks demo ${provider.key}`).digest('hex');
	// Shaped as a version 4 UUID (its version and variant bits set), as n8n's editor makes them.
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Whether a body is XML (what it starts with), as the providers that send both tell them apart. */
export function isXml(body: string | Buffer): boolean {
	return body.toString().trimStart().startsWith('<');
}

/** The `event` a JSON or XML delivery body names. */
export function eventOf(body: string | Buffer): string {
	const text = body.toString();
	const named = isXml(text)
		? /<event>([^<]*)<\/event>/.exec(text)?.[1]
		: (JSON.parse(text) as { event?: unknown }).event;
	if (typeof named !== 'string' || named === '') throw new Error(`no event in ${text.slice(0, 80)}`);
	return named;
}

export interface HeaderOptions {
	/** The digest's encoding; the provider's first when absent. */
	encoding?: DigestEncoding;
	/** The event header's value; the body's `event` when absent. */
	event?: string;
	/** Leaves the signature header out (an unsigned delivery). */
	unsigned?: boolean;
}

/** The headers the provider sends with `body`, signed with `secret`: content type, signature, and its event header if it has one. */
export function signedHeaders(provider: Provider, body: string | Buffer, secret: string, options: HeaderOptions = {}): Record<string, string> {
	const { signature, eventHeader } = provider.facts;
	const headers: Record<string, string> = { 'content-type': isXml(body) ? 'application/xml' : 'application/json' };
	if (eventHeader !== undefined) headers[eventHeader] = options.event ?? eventOf(body);
	if (options.unsigned !== true) {
		headers[signature.header] = signatureFor(secret, body, {
			encoding: options.encoding ?? signature.encodings[0],
			prefix: signature.prefix,
		});
	}
	return headers;
}

/** The id a provider's delivery carries where it has one (`id` or `event_id`, JSON or XML), else undefined. */
function deliveryIdIn(provider: Provider, body: string): string | undefined {
	if (provider.facts.duplicates.deliveryId === undefined) return undefined;
	const match = isXml(body)
		? /<(?:id|event_id)>([^<]+)<\/(?:id|event_id)>/.exec(body)
		: /"(?:id|event_id)"\s*:\s*"([^"]+)"/.exec(body);
	return match?.[1];
}

/**
 * The sample as a delivery of its own, marked by `tag`: a provider that names its deliveries by id
 * gets the id `<id>-<tag>`; any other gets a trailing blank line per character of `tag` encoded
 * in its bytes (JSON and XML ignore trailing white space, so the workflow receives the same item).
 * The triggers recognise a delivery they already accepted by its id, else by its exact bytes.
 */
export function distinctDelivery(provider: Provider, body: string, tag: string | number): string {
	const id = deliveryIdIn(provider, body);
	if (id !== undefined) return body.split(id).join(`${id}-${tag}`);
	if (provider.facts.duplicates.deliveryId !== undefined) throw new Error(`${provider.facts.name}: no delivery id in ${body.slice(0, 80)}`);
	return `${body}${whiteSpaceOf(String(tag))}`;
}

/** A string of white space that differs for every different `tag`: each byte of it in base 3 of space, tab and newline. */
function whiteSpaceOf(tag: string): string {
	const digits = [' ', '\t', '\n'];
	let out = '\n';
	for (const byte of Buffer.from(tag, 'utf8')) {
		for (let value = byte, i = 0; i < 6; i++, value = Math.floor(value / 3)) out += digits[value % 3];
	}
	return out;
}
