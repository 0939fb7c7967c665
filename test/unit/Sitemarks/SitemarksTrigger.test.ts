import { SitemarksTrigger } from '../../../nodes/Sitemarks/SitemarksTrigger.node';
import { hmacSha256 } from '../../support/signer';
import { expectRefused, expectStarted } from '../helpers/expectations';
import { deliver, fixture } from '../helpers/webhookContext';

/** Sitemarks' own: its documented events, payloads and signature, and its item. The shared pipeline is tested in shared/deliveryPipeline. */

const SECRET = 'whsec_sitemarks_test_4b7d1e9a';

const node = new SitemarksTrigger();
const events = [
	'annotation.created',
	'annotation.resolved',
	'comment.created',
	'comment.updated',
	'markup.status_changed',
	'markup.deleted',
] as const;
type EventName = (typeof events)[number];

/** The payload fields Sitemarks' documentation lists for each event. */
const DOCUMENTED_FIELDS: Record<EventName, string[]> = {
	'annotation.created': ['annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'userName', 'markupTitle', 'markupType', 'sourceUrl', 'pagePath'],
	'annotation.resolved': ['annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'userName', 'markupTitle'],
	'comment.created': ['commentId', 'annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'userName', 'body', 'markupTitle'],
	'comment.updated': ['commentId', 'annotationId', 'markupId', 'projectId', 'orgId', 'userId', 'body'],
	'markup.status_changed': ['markupId', 'projectId', 'orgId', 'status', 'userId', 'userName', 'markupTitle'],
	'markup.deleted': ['markupId', 'projectId', 'orgId', 'userId'],
};

const commentCreated = fixture('sitemarks', 'comment.created.json');

function parsed(body: Buffer | string): Record<string, unknown> {
	return JSON.parse(body.toString()) as Record<string, unknown>;
}

/** Sends `body` as Sitemarks' documentation shows: `signature` in X-Webhook-Signature, the event in X-Webhook-Event. */
function sentWith(body: Buffer | string, event: string, signature = hmacSha256(SECRET, body)) {
	return deliver(node, {
		body,
		headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': signature, 'X-Webhook-Event': event },
		credentials: { webhookSecret: SECRET },
	});
}

describe('the Sitemarks fixtures', () => {
	it('comment.created is the documented example, byte for byte in content', () => {
		expect(parsed(commentCreated)).toEqual({
			event: 'comment.created',
			payload: {
				commentId: 'cm1abc2def3gh',
				annotationId: 'cm4ijk5lmn6op',
				markupId: 'cm7qrs8tuv9wx',
				projectId: 'cm0yza1bcd2ef',
				orgId: 'cm3ghi4jkl5mn',
				userId: 'cm6opq7rst8uv',
				userName: 'Alice Chen',
				body: 'The logo needs more padding on the left.',
				markupTitle: 'Homepage v2',
			},
			timestamp: '2026-03-22T14:30:00.000Z',
		});
	});

	it.each(events)('%s is an envelope {event, payload, timestamp} with exactly the documented payload fields', (event) => {
		const body = parsed(fixture('sitemarks', `${event}.json`));
		expect(Object.keys(body).sort()).toEqual(['event', 'payload', 'timestamp']);
		expect(body.event).toBe(event);
		expect(Object.keys(body.payload as object).sort()).toEqual([...DOCUMENTED_FIELDS[event]].sort());
		expect(Object.values(body.payload as object).every((value) => typeof value === 'string' && value !== '')).toBe(true);
		expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
	});
});

describe('SitemarksTrigger description', () => {
	it('offers the six documented events, all selected by default', () => {
		const property = node.description.properties.find((p) => p.name === 'events');
		const values = property?.options?.map((o) => ('value' in o ? o.value : undefined));
		expect(values).toHaveLength(6);
		expect([...(values ?? [])].sort()).toEqual([...events].sort());
		expect([...(property?.default as string[])].sort()).toEqual([...events].sort());
	});
});

describe('SitemarksTrigger webhook()', () => {
	describe.each(events)('the documented %s delivery', (event) => {
		const body = fixture('sitemarks', `${event}.json`);

		it('signed as Sitemarks signs it (bare hex, X-Webhook-Event), starts the workflow with one item equal to the parsed body', async () => {
			const outcome = await sentWith(body, event);
			expectStarted(outcome);
			expect(outcome.items).toEqual([parsed(body)]);
			expect(outcome.items?.[0].event).toBe(event);
			expect(outcome.items?.[0].payload).toEqual(parsed(body).payload);
		});
	});

	it('refuses with 401, as its documentation does, a sha256=-prefixed signature, which Sitemarks does not send', async () => {
		const outcome = await sentWith(commentCreated, 'comment.created', `sha256=${hmacSha256(SECRET, commentCreated)}`);
		expectRefused(outcome, 401, 'Sitemarks', 'expected format');
	});
});
