import {
	constantTimeEquals,
	decodeSignature,
	verifySignature,
	type SignatureScheme,
} from '../../../nodes/shared/SignatureVerifier';

const hex: SignatureScheme = { header: 'x-signature', encodings: ['hex'], prefix: '' };
const prefixedHex: SignatureScheme = { header: 'x-signature', encodings: ['hex'], prefix: 'sha256=' };
const hexOrBase64: SignatureScheme = { header: 'x-hmac-hash', encodings: ['hex', 'base64'], prefix: '' };

// Known answers computed with `printf '%s' BODY | openssl dgst -sha256 -hmac SECRET`, not with this code.
const vectors = [
	{
		name: 'RFC 4231 test case 2',
		body: 'what do ya want for nothing?',
		secret: 'Jefe',
		hex: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
	},
	{
		name: 'a JSON envelope',
		body: '{"event":"job.completed"}',
		secret: 'whsec_test',
		hex: '85365e50e1ff644279c32d6cb56b252a9f50c8716ded23a964fca930cec42238',
	},
	{
		name: 'multi-byte UTF-8',
		body: 'Grüße, Straße 5 — ✓',
		secret: 'k',
		hex: 'd02252cceca230d2de6a7c174ffe31a76f60270d9888c1b2a576054f3a74b136',
		base64: '0CJSzOyiMNLeanwXT/4xp29gJw2YiMGypXYFTzp0sTY=',
	},
	{
		name: 'an empty body',
		body: '',
		secret: 'key',
		hex: '5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0',
	},
];

describe('verifySignature', () => {
	describe.each(vectors)('known answer: $name', (vector) => {
		const body = Buffer.from(vector.body, 'utf8');

		it('accepts the lowercase hex digest', () => {
			expect(verifySignature(body, vector.hex, [vector.secret], hex)).toEqual({ verified: true, secretIndex: 0 });
		});

		it('accepts the digest in uppercase hex, the same bytes', () => {
			expect(verifySignature(body, vector.hex.toUpperCase(), [vector.secret], hex).verified).toBe(true);
		});

		it('accepts the digest behind the sha256= prefix where the scheme has one', () => {
			expect(verifySignature(body, `sha256=${vector.hex}`, [vector.secret], prefixedHex).verified).toBe(true);
		});

		it('refuses the same digest under another secret', () => {
			expect(verifySignature(body, vector.hex, [`${vector.secret}x`], hex)).toEqual({
				verified: false,
				reason: 'signatureMismatch',
			});
		});
	});

	it('accepts a base64 digest where the scheme allows base64', () => {
		const body = Buffer.from('Grüße, Straße 5 — ✓', 'utf8');
		expect(verifySignature(body, '0CJSzOyiMNLeanwXT/4xp29gJw2YiMGypXYFTzp0sTY=', ['k'], hexOrBase64).verified).toBe(
			true,
		);
		expect(verifySignature(body, '0CJSzOyiMNLeanwXT/4xp29gJw2YiMGypXYFTzp0sTY', ['k'], hexOrBase64).verified).toBe(
			true,
		);
	});

	it('refuses a base64 digest where the scheme is hex only', () => {
		const body = Buffer.from('Grüße, Straße 5 — ✓', 'utf8');
		expect(verifySignature(body, '0CJSzOyiMNLeanwXT/4xp29gJw2YiMGypXYFTzp0sTY=', ['k'], hex)).toEqual({
			verified: false,
			reason: 'malformedSignature',
		});
	});

	describe('tampered bodies', () => {
		const original = Buffer.from('Grüße, Straße 5 — ✓', 'utf8');
		const signature = 'd02252cceca230d2de6a7c174ffe31a76f60270d9888c1b2a576054f3a74b136';

		it.each([
			['one bit flipped inside a multi-byte character', flipBit(original, original.indexOf(0xc3) + 1, 0)],
			['the last byte of the em dash changed', flipBit(original, original.indexOf(0xe2) + 2, 1)],
			['a byte appended', Buffer.concat([original, Buffer.from(' ')])],
			['the last byte dropped', original.subarray(0, original.length - 1)],
			['the same text in Latin-1', Buffer.from('Grüße, Straße 5 — ✓', 'latin1')],
			['the text normalised to NFD', Buffer.from('Grüße, Straße 5 — ✓'.normalize('NFD'), 'utf8')],
		])('refuses %s', (_name, tampered) => {
			expect(verifySignature(tampered, signature, ['k'], hex)).toEqual({
				verified: false,
				reason: 'signatureMismatch',
			});
		});
	});

	describe('secret rotation', () => {
		const body = Buffer.from('{"event":"job.completed"}');
		const signedWithOld = '85365e50e1ff644279c32d6cb56b252a9f50c8716ded23a964fca930cec42238';

		it('accepts a delivery signed with the previous secret and says which secret matched', () => {
			expect(verifySignature(body, signedWithOld, ['whsec_new', 'whsec_test'], hex)).toEqual({
				verified: true,
				secretIndex: 1,
			});
		});

		it('ignores empty secrets instead of keying an HMAC with them', () => {
			expect(verifySignature(body, signedWithOld, ['', 'whsec_test'], hex)).toEqual({
				verified: true,
				secretIndex: 0,
			});
		});

		it('refuses when neither secret matches', () => {
			expect(verifySignature(body, signedWithOld, ['a', 'b'], hex).verified).toBe(false);
		});
	});

	describe('refuses without throwing', () => {
		const body = Buffer.from('{"event":"job.completed"}');
		const good = '85365e50e1ff644279c32d6cb56b252a9f50c8716ded23a964fca930cec42238';

		it.each([
			['no secret at all', body, good, [], 'noSecretConfigured'],
			['only empty secrets', body, good, ['', ''], 'noSecretConfigured'],
			['no raw body', undefined, good, ['whsec_test'], 'missingRawBody'],
			['a parsed body instead of raw bytes', { event: 'job.completed' }, good, ['whsec_test'], 'missingRawBody'],
			['a string body instead of raw bytes', '{"event":"job.completed"}', good, ['whsec_test'], 'missingRawBody'],
			['an absent header', body, undefined, ['whsec_test'], 'missingSignature'],
			['an empty header', body, '', ['whsec_test'], 'missingSignature'],
			['a repeated header (array)', body, [good, good], ['whsec_test'], 'repeatedSignature'],
			['a repeated header (joined by Node.js)', body, `${good}, ${good}`, ['whsec_test'], 'repeatedSignature'],
			['one hex digit short', body, good.slice(1), ['whsec_test'], 'malformedSignature'],
			['one hex digit too many', body, `${good}0`, ['whsec_test'], 'malformedSignature'],
			['a non-hex digit', body, `${good.slice(0, 63)}g`, ['whsec_test'], 'malformedSignature'],
			['surrounding spaces', body, ` ${good}`, ['whsec_test'], 'malformedSignature'],
			['an unexpected sha256= prefix', body, `sha256=${good}`, ['whsec_test'], 'malformedSignature'],
			['a SHA-1 length digest', body, good.slice(0, 40), ['whsec_test'], 'malformedSignature'],
			['a wrong digest of the right form', body, 'f'.repeat(64), ['whsec_test'], 'signatureMismatch'],
		])('%s', (_name, rawBody, header, secrets, reason) => {
			expect(() => verifySignature(rawBody, header as string | undefined, secrets as string[], hex)).not.toThrow();
			expect(verifySignature(rawBody, header as string | undefined, secrets as string[], hex)).toEqual({
				verified: false,
				reason,
			});
		});

		it.each([
			['no prefix', good, 'malformedSignature'],
			['an uppercase prefix', `SHA256=${good}`, 'malformedSignature'],
			['another algorithm', `sha1=${good}`, 'malformedSignature'],
			['the prefix alone', 'sha256=', 'malformedSignature'],
			['a doubled prefix', `sha256=sha256=${good}`, 'malformedSignature'],
		])('with a prefixed scheme: %s', (_name, header, reason) => {
			expect(verifySignature(body, header, ['whsec_test'], prefixedHex)).toEqual({ verified: false, reason });
		});
	});
});

describe('decodeSignature', () => {
	it('tells hex from base64 by length, so either scheme decodes to 32 bytes', () => {
		const digest = Buffer.alloc(32, 7);
		expect(decodeSignature(digest.toString('hex'), hexOrBase64)).toEqual(digest);
		expect(decodeSignature(digest.toString('base64'), hexOrBase64)).toEqual(digest);
	});

	it('does not accept base64url characters', () => {
		expect(decodeSignature('0CJSzOyiMNLeanwXT_4xp29gJw2YiMGypXYFTzp0sTY=', hexOrBase64)).toBeUndefined();
	});
});

describe('constantTimeEquals', () => {
	it.each([
		['equal keys', 'key_123', 'key_123', true],
		['a different last character', 'key_123', 'key_124', false],
		['a prefix of the key', 'key_12', 'key_123', false],
		['an empty string', '', 'key_123', false],
		['the same text in another case', 'KEY_123', 'key_123', false],
	])('%s', (_name, received, expected, equal) => {
		expect(constantTimeEquals(received, expected)).toBe(equal);
	});
});

function flipBit(buffer: Buffer, index: number, bit: number): Buffer {
	const copy = Buffer.from(buffer);
	copy[index] ^= 1 << bit;
	return copy;
}
