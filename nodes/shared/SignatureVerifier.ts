import { createHmac, timingSafeEqual } from 'crypto';

export type DigestEncoding = 'hex' | 'base64';

/** How one provider signs its deliveries. Facts only: the mechanism below is the same for all. */
export interface SignatureScheme {
	/** Header that carries the signature, lower-case as Node.js presents request headers. */
	header: string;
	/** Encodings the provider may use for the digest; a value in any of them is accepted. */
	encodings: readonly DigestEncoding[];
	/** Text that must stand before the digest, such as `sha256=`; empty for a bare digest. */
	prefix: string;
}

export type RejectionReason =
	| 'noSecretConfigured'
	| 'missingRawBody'
	| 'missingSignature'
	| 'repeatedSignature'
	| 'malformedSignature'
	| 'signatureMismatch';

export type VerificationResult =
	| { verified: true; secretIndex: number }
	| { verified: false; reason: RejectionReason };

const DIGEST_PATTERNS: Record<DigestEncoding, RegExp> = {
	// A SHA-256 digest is 32 bytes: 64 hex digits, or 43 base64 characters and one padding sign.
	hex: /^[0-9a-fA-F]{64}$/,
	base64: /^[A-Za-z0-9+/]{43}=?$/,
};

/** The digest bytes a header value names, or undefined when it is not a digest in the scheme's form. */
export function decodeSignature(value: string, scheme: SignatureScheme): Buffer | undefined {
	if (!value.startsWith(scheme.prefix)) return undefined;
	const digest = value.slice(scheme.prefix.length);
	for (const encoding of scheme.encodings) {
		if (DIGEST_PATTERNS[encoding].test(digest)) return Buffer.from(digest, encoding);
	}
	return undefined;
}

/**
 * Checks that `headerValue` is an HMAC-SHA256 of the exact bytes received, keyed with one of `secrets`.
 * It never throws and never returns the expected digest: a caller can log the reason safely.
 */
export function verifySignature(
	rawBody: unknown,
	headerValue: string | string[] | undefined,
	secrets: readonly string[],
	scheme: SignatureScheme,
): VerificationResult {
	const keys = secrets.filter((secret) => typeof secret === 'string' && secret !== '');
	if (keys.length === 0) return { verified: false, reason: 'noSecretConfigured' };
	// Re-serialised JSON is not what was signed, so there is no fallback when the raw bytes are missing.
	if (!Buffer.isBuffer(rawBody)) return { verified: false, reason: 'missingRawBody' };
	if (headerValue === undefined || headerValue === '') {
		return { verified: false, reason: 'missingSignature' };
	}
	// Node.js joins a repeated custom header with ", "; neither hex nor base64 contains a comma.
	if (Array.isArray(headerValue) || headerValue.includes(',')) {
		return { verified: false, reason: 'repeatedSignature' };
	}
	const received = decodeSignature(headerValue, scheme);
	if (received === undefined) return { verified: false, reason: 'malformedSignature' };

	let secretIndex = -1;
	// Every key is tried, so the time taken does not depend on which one matched.
	keys.forEach((key, index) => {
		const expected = createHmac('sha256', key).update(rawBody).digest();
		if (timingSafeEqual(expected, received) && secretIndex === -1) secretIndex = index;
	});
	return secretIndex === -1
		? { verified: false, reason: 'signatureMismatch' }
		: { verified: true, secretIndex };
}

/** Compares two strings in time that depends only on their lengths, for keys sent inside a body. */
export function constantTimeEquals(received: string, expected: string): boolean {
	const a = createHmac('sha256', 'compare').update(received).digest();
	const b = createHmac('sha256', 'compare').update(expected).digest();
	return timingSafeEqual(a, b) && received === expected;
}
