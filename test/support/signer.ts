/**
 * The one signer of tests and tools: how a provider signs a delivery, written from the providers'
 * documentation and apart from the code under test (nothing here imports from nodes/).
 * Every provider signs the same way: HMAC-SHA256 of the exact request body, keyed with the
 * signing secret, as hex or base64, with or without a prefix such as `sha256=`.
 */
import { createHmac } from 'node:crypto';

export type DigestEncoding = 'hex' | 'base64';

/** The HMAC-SHA256 of `body` keyed with `secret`, as `encoding` (hex by default). */
export function hmacSha256(secret: string, body: Buffer | string, encoding: DigestEncoding = 'hex'): string {
	return createHmac('sha256', secret).update(body).digest(encoding);
}

/** How a header value is written: the digest's encoding and the text before it. */
export interface SignatureFormat {
	encoding?: DigestEncoding;
	prefix?: string;
}

/** The signature header value for `body`, as a provider with `format` would send it. */
export function signatureFor(secret: string, body: Buffer | string, format: SignatureFormat = {}): string {
	return `${format.prefix ?? ''}${hmacSha256(secret, body, format.encoding ?? 'hex')}`;
}
