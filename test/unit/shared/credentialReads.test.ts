import { CREDENTIAL_REREAD_INTERVAL_MS, CREDENTIAL_REUSE_MS } from '../../../nodes/shared/credentialReads';
import { SiteCaptureTrigger } from '../../../nodes/SiteCapture/SiteCaptureTrigger.node';
import { SitemarkTrigger } from '../../../nodes/Sitemark/SitemarkTrigger.node';
import { hmacSha256 } from '../../support/signer';
import { deliver, fixture, type DeliverySetup } from '../helpers/webhookContext';

const sitemark = new SitemarkTrigger();
const body = fixture('sitemark', 'job.completed.json');
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** Deliveries to one Sitemark trigger whose credential (one id) holds `current.secret`, counting n8n reads. */
function sitemarkCredential(initialSecret: string) {
	const credential = { id: `credential-reuse-${Math.random()}`, secret: initialSecret, reads: 0 };
	const send = (signingSecret: string, extra: Partial<DeliverySetup> = {}) =>
		deliver(sitemark, {
			body,
			headers: { 'content-type': 'application/json', 'x-sitemark-signature': hmacSha256(signingSecret, body) },
			credentialId: credential.id,
			credentials: { webhookSecret: credential.secret },
			onCredentialsRead: () => credential.reads++,
			...extra,
		});
	return { credential, send };
}

/** A credential that accepted a delivery signed with `before`, then was saved with `after`, `later` ms on. */
async function savedAnew(before: string, after: string, later: number) {
	const deliveries = sitemarkCredential(before);
	expect((await deliveries.send(before)).status).toBe(200);
	deliveries.credential.secret = after;
	jest.setSystemTime(T0 + later);
	return deliveries;
}

describe('reusing a credential read from n8n', () => {
	beforeEach(() => {
		jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	});
	afterEach(() => {
		jest.useRealTimers();
	});

	it(`reads a credential once for the deliveries of ${CREDENTIAL_REUSE_MS / 1000} s, then again`, async () => {
		const { credential, send } = sitemarkCredential('reuse-secret');
		for (let i = 0; i < 5; i++) expect((await send('reuse-secret')).status).toBe(200);
		expect(credential.reads).toBe(1);
		jest.setSystemTime(T0 + CREDENTIAL_REUSE_MS);
		expect((await send('reuse-secret')).status).toBe(200);
		expect(credential.reads).toBe(2);
	});

	it('takes a secret saved in n8n from the next delivery signed with it', async () => {
		const { credential, send } = await savedAnew('old-secret', 'new-secret', CREDENTIAL_REREAD_INTERVAL_MS);
		const outcome = await send('new-secret');
		expect(outcome.status).toBe(200);
		expect(outcome.items).toHaveLength(1);
		expect(credential.reads).toBe(2);
		// The old secret is refused as soon as the credential has been read again.
		expect((await send('old-secret')).status).toBe(400);
	});

	it('reads again at most once a second however many forged deliveries arrive, and refuses them all', async () => {
		const { credential, send } = sitemarkCredential('kept-secret');
		expect((await send('kept-secret')).status).toBe(200);
		for (let i = 0; i < 50; i++) {
			const outcome = await send('forged-secret');
			expect(outcome.status).toBe(400);
			expect(outcome.items).toBeUndefined();
		}
		expect(credential.reads).toBe(1);
		jest.setSystemTime(T0 + CREDENTIAL_REREAD_INTERVAL_MS);
		for (let i = 0; i < 50; i++) expect((await send('forged-secret')).status).toBe(400);
		expect(credential.reads).toBe(2);
	});

	it('stops accepting a secret removed from the credential once the reuse window ends', async () => {
		const { send } = await savedAnew('revoked-secret', 'replacement-secret', CREDENTIAL_REUSE_MS);
		expect((await send('revoked-secret')).status).toBe(400);
	});

	it('shares one read among deliveries arriving together', async () => {
		const { credential, send } = sitemarkCredential('together-secret');
		const outcomes = await Promise.all(Array.from({ length: 10 }, () => send('together-secret')));
		expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(10).fill(200));
		expect(credential.reads).toBe(1);
	});

	it('does not keep a read that failed: the next delivery reads again, and an unreadable credential is refused', async () => {
		const { credential, send } = sitemarkCredential('unreadable-secret');
		expect((await send('unreadable-secret', { credentials: 'unreadable' })).status).toBe(400);
		expect((await send('unreadable-secret')).status).toBe(200);
		expect(credential.reads).toBe(2);
	});

	it('keeps credentials apart: another credential id is read for itself', async () => {
		const first = sitemarkCredential('first-secret');
		const second = sitemarkCredential('second-secret');
		expect((await first.send('first-secret')).status).toBe(200);
		expect((await second.send('first-secret')).status).toBe(400);
		expect((await second.send('second-secret')).status).toBe(200);
	});

	it('reads SiteCapture’s API key again when a delivery carries a key the reused data does not hold', async () => {
		const node = new SiteCaptureTrigger();
		const secret = 'sitecapture-reuse-secret';
		const id = `credential-sitecapture-${Math.random()}`;
		let apiKey = 'sc_old_key';
		let reads = 0;
		const send = (key: string) => {
			const payload = Buffer.from(JSON.stringify({ project_id: 1, status: 'Complete', workflow_state: 'COMPLETE', api_key: key, event: 'status_change' }));
			return deliver(node, {
				body: payload,
				headers: { 'content-type': 'application/json', 'x-hmac-hash': hmacSha256(secret, payload) },
				credentialId: id,
				credentials: { webhookSecret: secret, apiKey },
				onCredentialsRead: () => reads++,
			});
		};
		expect((await send('sc_old_key')).status).toBe(200);
		apiKey = 'sc_new_key';
		jest.setSystemTime(T0 + CREDENTIAL_REREAD_INTERVAL_MS);
		expect((await send('sc_new_key')).status).toBe(200);
		expect(reads).toBe(2);
	});
});
