import { readFileSync } from 'fs';
import type { IDataObject, INodeType } from 'n8n-workflow';

import type { Provider, Sample } from '../../support/providers';
import { hmacSha256, signatureFor, type DigestEncoding } from '../../support/signer';
import { deliver, type DeliveryOutcome, type DeliverySetup } from './webhookContext';

/**
 * Deliveries to any provider's trigger, built from its facts and its documented samples: what the
 * table-driven tests of the shared pipeline send.
 */

export const SECRET = 'pipeline-current-secret-5b2e9c71';
export const PREVIOUS_SECRET = 'pipeline-previous-secret-81d4a0f3';

type Headers = Record<string, string | string[]>;

const nodes = new Map<Provider, INodeType>();

/** One instance of the provider's trigger, shared by the tests. */
export function nodeOf(provider: Provider): INodeType {
	let node = nodes.get(provider);
	if (node === undefined) {
		node = provider.node();
		nodes.set(provider, node);
	}
	return node;
}

/** The exact bytes of a documented sample. */
export function bytesOf(sample: Sample): Buffer {
	return readFileSync(sample.file);
}

export function jsonSamples(provider: Provider): Sample[] {
	return provider.samples.filter((sample) => sample.format === 'json');
}

export function parsed(body: Buffer | string): IDataObject {
	return JSON.parse(body.toString()) as IDataObject;
}

/** The signature header value of `body` as the provider signs it (its first encoding unless told). */
export function sign(provider: Provider, body: Buffer | string, secret = SECRET, encoding?: DigestEncoding): string {
	const { encodings, prefix } = provider.facts.signature;
	return signatureFor(secret, body, { encoding: encoding ?? encodings[0], prefix });
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * A value for each of the provider's own credential fields: the one the documented samples carry
 * in their body under the field's snake_case name (SiteCapture's `apiKey` as `api_key`), else one
 * of its own.
 */
export function fieldValues(provider: Provider): Record<string, string> {
	const values: Record<string, string> = {};
	for (const field of Object.keys(provider.facts.credential.fields ?? {})) {
		const carried = jsonSamples(provider)
			.map((sample) => parsed(bytesOf(sample))[snakeCase(field)])
			.find((value): value is string => typeof value === 'string');
		values[field] = carried ?? `${provider.key}-${field}-value-3c9e`;
	}
	return values;
}

/** A credential that verifies the samples, with `changes` applied (`undefined` removes a field). */
export function credentialsFor(provider: Provider, changes: Record<string, unknown> = {}): Record<string, unknown> {
	const credentials: Record<string, unknown> = { ...fieldValues(provider), webhookSecret: SECRET, ...changes };
	for (const [name, value] of Object.entries(changes)) if (value === undefined) delete credentials[name];
	return credentials;
}

/** Every value a log line or an answer must never show: the secrets and the credential's own fields. */
export function secretValues(provider: Provider): string[] {
	return [SECRET, PREVIOUS_SECRET, ...Object.values(fieldValues(provider))];
}

/** The event a body names, read from its text, so that a hand-written body gets the header a provider would send. */
export function eventOf(body: Buffer | string): string | undefined {
	const text = body.toString();
	return (/"event"\s*:\s*"([^"]*)"/.exec(text) ?? /<event>([^<]*)<\/event>/.exec(text))?.[1];
}

/**
 * The headers the provider sends with `body`: its content type, its signature and, where it has
 * one, the event header naming the body's event; `changes` replaces some (`undefined` removes one).
 */
export function headersFor(
	provider: Provider,
	body: Buffer | string,
	changes: Record<string, string | string[] | undefined> = {},
): Headers {
	const { signature, eventHeader } = provider.facts;
	const xml = body.toString().trimStart().startsWith('<');
	const headers: Record<string, string | string[] | undefined> = {
		'content-type': xml ? 'application/xml' : 'application/json',
		[signature.header]: sign(provider, body),
	};
	if (eventHeader !== undefined) headers[eventHeader] = eventOf(body) ?? provider.facts.events[0].value;
	Object.assign(headers, changes);
	return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}

/** Sends `body` as the provider would, signed with SECRET, with a credential that verifies it, unless `overrides` says otherwise. */
export function sendSigned(provider: Provider, body: Buffer | string, overrides: Partial<DeliverySetup> = {}): Promise<DeliveryOutcome> {
	return deliver(nodeOf(provider), {
		body,
		headers: headersFor(provider, body),
		credentials: credentialsFor(provider),
		...overrides,
	});
}

/** The top-level field of the provider's JSON body that holds the signed time it was sent. */
export function sentAtField(provider: Provider, body: IDataObject): string {
	const { sentAt } = provider.facts;
	const marker = 'sent-at-probe';
	const field = Object.keys(body).find((name) => sentAt?.({ ...body, [name]: marker } as never) === marker);
	if (field === undefined) throw new Error(`${provider.folder}: no field of its sample holds the time it was sent`);
	return field;
}

/** A JSON sample with its sent time replaced by `value` (removed for `undefined`), as new bytes. */
export function withSentAt(provider: Provider, sample: Buffer, value: unknown): Buffer {
	const body = parsed(sample);
	const field = sentAtField(provider, body);
	if (value === undefined) delete body[field];
	else body[field] = value as string;
	return Buffer.from(JSON.stringify(body, null, 2));
}

/** The digests of `body` under every secret, in every encoding: none may be shown anywhere. */
export function digestsOf(body: Buffer | string): string[] {
	return [SECRET, PREVIOUS_SECRET].flatMap((secret) => [hmacSha256(secret, body, 'hex'), hmacSha256(secret, body, 'base64')]);
}

/** Nothing secret in what the node logged or answered: no secret, credential field, or digest of `body`. */
export function expectNothingSecret(outcome: DeliveryOutcome, provider: Provider, body: Buffer | string, more: string[] = []): void {
	const written = JSON.stringify([outcome.logs, outcome.responseBody, outcome.result.webhookResponse ?? null]);
	for (const value of [...secretValues(provider), ...digestsOf(body), ...more]) expect(written).not.toContain(value);
}
