import { SitemarkTrigger } from '../../../nodes/Sitemark/SitemarkTrigger.node';
import { hmacSha256 } from '../../support/signer';
import { expectRefused, expectStarted } from '../helpers/expectations';
import { deliver, fixture } from '../helpers/webhookContext';

/** Sitemark's own: its documented events and signature, and its item. The shared pipeline is tested in shared/deliveryPipeline. */

const SECRET = 'sitemark-test-secret';
const node = new SitemarkTrigger();
const events = ['job.completed', 'shot.logged', 'report.generated'] as const;

/** Sends `body` as Sitemark's documentation shows, with `signature` in X-Sitemark-Signature. */
function sentWith(body: Buffer | string, signature = hmacSha256(SECRET, body)) {
	return deliver(node, {
		body,
		headers: { 'Content-Type': 'application/json', 'X-Sitemark-Signature': signature },
		credentials: { webhookSecret: SECRET },
	});
}

describe('SitemarkTrigger description', () => {
	it('offers every documented event, all selected by default', () => {
		const property = node.description.properties.find((p) => p.name === 'events');
		expect(property?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual([...events]);
		expect(property?.default).toEqual([...events]);
	});
});

describe('SitemarkTrigger webhook()', () => {
	describe.each(events)('the documented %s payload', (event) => {
		const body = fixture('sitemark', `${event}.json`);

		it('signed as documented (bare lower-case hex in X-Sitemark-Signature), starts the workflow with the envelope as sent', async () => {
			const outcome = await sentWith(body);
			expectStarted(outcome);
			expect(outcome.items).toEqual([JSON.parse(body.toString('utf8'))]);
			expect(outcome.items?.[0].event).toBe(event);
		});
	});

	it('keeps numbers as numbers, from the exact bytes sent (312.50 is the number 312.5)', async () => {
		const outcome = await sentWith(fixture('sitemark', 'shot.logged.json'));
		const data = outcome.items?.[0].data as Record<string, unknown>;
		expect(data.design_grade).toBe(312.5);
		expect(data.delta).toBe(-0.03);
		expect(data.pass).toBe(true);
		expect(data.offset).toBe('0.0');
	});

	describe('refuses with 400, as its documentation asks, a signature in any form Sitemark does not send', () => {
		const body = fixture('sitemark', 'job.completed.json');
		const good = hmacSha256(SECRET, body);

		it.each([
			['a prefixed signature', `sha256=${good}`],
			['a base64 signature', hmacSha256(SECRET, body, 'base64')],
		])('%s', async (_name, signature) => {
			expectRefused(await sentWith(body, signature), 400, 'Sitemark', 'expected format');
		});
	});
});
