import type { ICredentialTestFunctions } from 'n8n-workflow';

import { SiteCaptureTrigger } from '../../../nodes/SiteCapture/SiteCaptureTrigger.node';
import { hmacSha256 } from '../../support/signer';
import { ACK, expectIgnored, expectMalformed, expectRefused } from '../helpers/expectations';
import { deliver, fixture, type DeliveryOutcome, type DeliverySetup } from '../helpers/webhookContext';

/**
 * SiteCapture's own: its documented body and hash, the api_key it carries, its filters and its
 * item. The shared pipeline is tested in shared/deliveryPipeline.
 */

const SECRET = 'sitecapture-hmac-shared-secret';
const API_KEY = 'your_sitecapture_api_key';
const OTHER_KEY = 'sc_live_9d0e3b6a57';
const HEADER = 'x-hmac-hash';

const node = new SiteCaptureTrigger();
const complete = fixture('sitecapture', 'status_change.json');
const inReview = fixture('sitecapture', 'status_change.in_review.json');

const COMPLETE_ITEM = { project_id: 3057, status: 'Complete', workflow_state: 'COMPLETE', event: 'status_change' };
const IN_REVIEW_ITEM = { project_id: 3112, status: 'In Review', workflow_state: 'QA_REVIEW', event: 'status_change' };

/** The documented body with some fields replaced (or removed, for `undefined`), as SiteCapture would serialise it. */
function bodyWith(changes: Record<string, unknown>, base: Buffer = complete): string {
	const body = { ...(JSON.parse(base.toString('utf8')) as Record<string, unknown>), ...changes };
	for (const [name, value] of Object.entries(changes)) if (value === undefined) delete body[name];
	return JSON.stringify(body);
}

/** Sends `body` with a correct hex hash and the right credential, unless `overrides` says otherwise. */
function signed(body: Buffer | string, overrides: Partial<DeliverySetup> = {}): Promise<DeliveryOutcome> {
	return deliver(node, {
		body,
		headers: { 'content-type': 'application/json', [HEADER]: hmacSha256(SECRET, body) },
		credentials: { apiKey: API_KEY, webhookSecret: SECRET },
		...overrides,
	});
}

/** Everything the node wrote anywhere a workflow, a caller or a log reader could see. */
function written(outcome: DeliveryOutcome): string {
	return JSON.stringify([outcome.items, outcome.responseBody, outcome.logs, outcome.result]);
}

function expectStarted(outcome: DeliveryOutcome, item: Record<string, unknown>): void {
	expect(outcome.status).toBe(200);
	expect(outcome.responseBody).toEqual(ACK);
	expect(outcome.items).toEqual([item]);
	expect(outcome.items?.[0]).not.toHaveProperty('api_key');
	expect(outcome.result.noWebhookResponse).toBeUndefined();
}

describe('the SiteCapture fixtures', () => {
	it('are the documented body, valid JSON, with a string api_key', () => {
		expect(JSON.parse(complete.toString('utf8'))).toEqual({ ...COMPLETE_ITEM, api_key: API_KEY });
		expect(JSON.parse(inReview.toString('utf8'))).toEqual({ ...IN_REVIEW_ITEM, api_key: API_KEY });
		expect(complete.toString('utf8')).not.toMatch(/[“”]/);
	});
});

describe('SiteCaptureTrigger description', () => {
	it('offers the one documented event, selected by default', () => {
		const property = node.description.properties.find((p) => p.name === 'events');
		expect(property?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['status_change']);
		expect(property?.default).toEqual(['status_change']);
	});

	it('has state and status filters that default to any', () => {
		for (const name of ['workflowStates', 'statuses']) {
			const property = node.description.properties.find((p) => p.name === name);
			expect(property).toEqual(expect.objectContaining({ type: 'string', default: '' }));
		}
	});

});

describe('SiteCaptureTrigger webhook()', () => {
	describe('accepts the documented body with a right key and a right hash in either encoding', () => {
		const hex = hmacSha256(SECRET, complete);
		const base64 = hmacSha256(SECRET, complete, 'base64');

		it.each([
			['lower-case hex', hex],
			['upper-case hex', hex.toUpperCase()],
			['padded base64', base64],
			['unpadded base64', base64.replace(/=+$/, '')],
		])('%s', async (_name, hash) => {
			expect(base64.endsWith('=')).toBe(true);
			const outcome = await signed(complete, { headers: { [HEADER]: hash } });
			expectStarted(outcome, COMPLETE_ITEM);
			expect(typeof outcome.items?.[0].project_id).toBe('number');
			expect(written(outcome)).not.toContain(API_KEY);
		});

		it('the second documented state as well', async () => {
			const outcome = await signed(inReview, { headers: { 'X-HMAC-Hash': hmacSha256(SECRET, inReview, 'base64') } });
			expectStarted(outcome, IN_REVIEW_ITEM);
		});
	});

	describe('refuses with 401 and starts nothing unless both the hash and the key hold', () => {
		const wrongKeyBody = bodyWith({ api_key: OTHER_KEY });
		const cases: Array<[string, Buffer | string, Partial<DeliverySetup>, string]> = [
			['a wrong key under a right hash (body re-signed)', wrongKeyBody, {}, 'not the configured API key'],
			['a wrong key under a right base64 hash', wrongKeyBody, { headers: { [HEADER]: hmacSha256(SECRET, wrongKeyBody, 'base64') } }, 'not the configured API key'],
			['a right key under a base64 hash made with another secret', complete, { headers: { [HEADER]: hmacSha256('not-the-secret', complete, 'base64') } }, 'does not match'],
			['no api_key in the body', bodyWith({ api_key: undefined }), {}, 'no api_key'],
			['an api_key that is a number', bodyWith({ api_key: 4917 }), {}, 'not a string'],
			['an api_key that is null', bodyWith({ api_key: null }), {}, 'not a string'],
			['an api_key that is an object holding the key', bodyWith({ api_key: { key: API_KEY } }), {}, 'not a string'],
			['an api_key that is an array holding the key', bodyWith({ api_key: [API_KEY] }), {}, 'not a string'],
			['an api_key that is a boolean', bodyWith({ api_key: true }), {}, 'not a string'],
			['an api_key that is an empty string', bodyWith({ api_key: '' }), {}, 'not the configured API key'],
			['an api_key with a trailing line break', bodyWith({ api_key: `${API_KEY}\n` }), {}, 'not the configured API key'],
			['an api_key in another letter case', bodyWith({ api_key: API_KEY.toUpperCase() }), {}, 'not the configured API key'],
			['an api_key that is a prefix of the key', bodyWith({ api_key: API_KEY.slice(0, -1) }), {}, 'not the configured API key'],
			['a credential without apiKey', complete, { credentials: { webhookSecret: SECRET } }, 'no API key is configured'],
			['a credential whose apiKey is empty', complete, { credentials: { apiKey: '', webhookSecret: SECRET } }, 'no API key is configured'],
			['an empty api_key against an empty apiKey', bodyWith({ api_key: '' }), { credentials: { apiKey: '', webhookSecret: SECRET } }, 'no API key is configured'],
			['a credential whose apiKey is not a string', complete, { credentials: { apiKey: 4917, webhookSecret: SECRET } }, 'no API key is configured'],
			['a credential without HMAC secret', complete, { credentials: { apiKey: API_KEY } }, 'no signing secret'],
			['a wrong key on an event that is not selected', wrongKeyBody, { parameters: { events: [] } }, 'not the configured API key'],
		];

		it.each(cases)('%s', async (_name, body, overrides, reason) => {
			expectRefused(await signed(body, overrides), 401, 'SiteCapture', reason);
		});

		it('still refuses when the wrong key is re-signed in every accepted encoding', async () => {
			const base64 = hmacSha256(SECRET, wrongKeyBody, 'base64');
			for (const hash of [hmacSha256(SECRET, wrongKeyBody), base64, base64.replace(/=+$/, '')]) {
				expectRefused(await signed(wrongKeyBody, { headers: { [HEADER]: hash } }), 401, 'SiteCapture', 'not the configured API key');
			}
		});
	});

	describe('never lets an api_key leave the node', () => {
		const wrongKeyBody = bodyWith({ api_key: OTHER_KEY });
		const cases: Array<[string, Buffer | string, Partial<DeliverySetup>, number]> = [
			['accepted, hex hash', complete, {}, 200],
			['accepted, base64 hash', complete, { headers: { [HEADER]: hmacSha256(SECRET, complete, 'base64') } }, 200],
			['accepted, with headers included', complete, { parameters: { options: { includeHeaders: true } } }, 200],
			['accepted, other state', inReview, {}, 200],
			['ignored by the state filter', complete, { parameters: { workflowStates: 'QA_REVIEW' } }, 200],
			['ignored by the status filter', complete, { parameters: { statuses: 'In Review' } }, 200],
			['ignored, event not selected', complete, { parameters: { events: [] } }, 200],
			['ignored, unknown event', bodyWith({ event: 'project_created' }), {}, 200],
			['tampered body', Buffer.from(complete.toString('utf8').replace('3057', '3058')), { headers: { [HEADER]: hmacSha256(SECRET, complete) } }, 401],
			['wrong key, right hash', wrongKeyBody, {}, 401],
			['right key, wrong hash', complete, { headers: { [HEADER]: hmacSha256('not-the-secret', complete) } }, 401],
			['right key, no hash', complete, { headers: {} }, 401],
			['key absent', bodyWith({ api_key: undefined }), {}, 401],
			['key as an object', bodyWith({ api_key: { key: API_KEY } }), {}, 401],
			['key as an array', bodyWith({ api_key: [API_KEY, OTHER_KEY] }), {}, 401],
			['key with a trailing line break', bodyWith({ api_key: `${API_KEY}\n` }), {}, 401],
			['credential without apiKey', complete, { credentials: { webhookSecret: SECRET } }, 401],
			['credential without HMAC secret', complete, { credentials: { apiKey: API_KEY } }, 401],
			['credential holding another key', complete, { credentials: { apiKey: OTHER_KEY, webhookSecret: SECRET } }, 401],
			['malformed JSON that holds the key', `{"api_key":"${API_KEY}","event":"status_change",`, {}, 400],
			['a JSON array that holds the key', JSON.stringify([{ api_key: API_KEY, event: 'status_change' }]), {}, 400],
		];

		it.each(cases)('%s', async (_name, body, overrides, status) => {
			const outcome = await signed(body, overrides);
			expect(outcome.status).toBe(status);
			const text = written(outcome);
			expect(text).not.toContain(API_KEY);
			expect(text).not.toContain(OTHER_KEY);
			expect(text).not.toContain(SECRET);
		});
	});

	describe('the Workflow States filter', () => {
		it.each<[string, string, Buffer | string, Record<string, unknown>]>([
			['COMPLETE', 'the documented COMPLETE', complete, COMPLETE_ITEM],
			['COMPLETE', 'a lower-case complete', bodyWith({ workflow_state: 'complete' }), { ...COMPLETE_ITEM, workflow_state: 'complete' }],
			[' complete , qa_review ', 'COMPLETE', complete, COMPLETE_ITEM],
			[' complete , qa_review ', 'QA_REVIEW', inReview, IN_REVIEW_ITEM],
			['qa_review,,COMPLETE,', 'COMPLETE, with empty entries in the filter', complete, COMPLETE_ITEM],
		])('%j accepts %s', async (workflowStates, _state, body, item) => {
			expectStarted(await signed(body, { parameters: { workflowStates } }), item);
		});

		it.each<[string, Buffer | string]>([
			['COMPLETE', inReview],
			[' complete , qa_review ', bodyWith({ workflow_state: 'ON_HOLD' })],
			['COMPLETE', bodyWith({ workflow_state: 'COMPLETED' })],
			['COMPLETE', bodyWith({ workflow_state: 'COMP' })],
			['COMPLETE', bodyWith({ workflow_state: '' })],
			['COMPLETE, QA', bodyWith({ workflow_state: 'COMPLETE, QA' })],
		])('%j acknowledges the others without starting anything (%#)', async (workflowStates, body) => {
			const outcome = await signed(body, { parameters: { workflowStates } });
			expectIgnored(outcome);
			expect(outcome.logs.some((l) => l.message.includes('workflow state'))).toBe(true);
		});
	});

	describe('the Statuses filter', () => {
		it.each<[string, Buffer | string, Record<string, unknown>]>([
			['complete', complete, COMPLETE_ITEM],
			['COMPLETE', complete, COMPLETE_ITEM],
			['Complete', complete, COMPLETE_ITEM],
			[' in review , complete ', inReview, IN_REVIEW_ITEM],
			['In Review', bodyWith({ status: 'in review' }), { ...COMPLETE_ITEM, status: 'in review' }],
		])('%j accepts a matching status (%#)', async (statuses, body, item) => {
			expectStarted(await signed(body, { parameters: { statuses } }), item);
		});

		it.each<[string, Buffer | string]>([
			['Complete', inReview],
			['in review', complete],
			['Completed', complete],
			['In', inReview],
		])('%j acknowledges other statuses without starting anything (%#)', async (statuses, body) => {
			const outcome = await signed(body, { parameters: { statuses } });
			expectIgnored(outcome);
			expect(outcome.logs.some((l) => l.message.includes('status'))).toBe(true);
		});
	});

	describe('the cost of the filters', () => {
		const large = 'x'.repeat(1024 * 1024);
		const upperCased = (spy: jest.SpyInstance) => spy.mock.contexts.filter((text) => String(text).length >= large.length).length;

		afterEach(() => jest.restoreAllMocks());

		it('never upper-cases a large status or workflow state when no filter is set', async () => {
			const spy = jest.spyOn(String.prototype, 'toUpperCase');
			const outcome = await signed(bodyWith({ status: large, workflow_state: large }));
			expect(outcome.items).toHaveLength(1);
			expect(upperCased(spy)).toBe(0);
		});

		it('never upper-cases a field longer than every chosen name, and still ignores it', async () => {
			const spy = jest.spyOn(String.prototype, 'toUpperCase');
			expectIgnored(await signed(bodyWith({ status: large }), { parameters: { statuses: 'Complete' } }));
			expectIgnored(await signed(bodyWith({ workflow_state: large }), { parameters: { workflowStates: 'COMPLETE' } }));
			expect(upperCased(spy)).toBe(0);
		});
	});

	describe('both filters together', () => {
		it('start the workflow only when the state and the status both match', async () => {
			const parameters = { workflowStates: 'complete, qa_review', statuses: 'complete' };
			expectStarted(await signed(complete, { parameters }), COMPLETE_ITEM);
			expectIgnored(await signed(inReview, { parameters }));
		});

		it('ignore a matching state with an unchosen status, and a chosen status in an unchosen state', async () => {
			expectIgnored(await signed(complete, { parameters: { workflowStates: 'COMPLETE', statuses: 'In Review' } }));
			expectIgnored(await signed(inReview, { parameters: { workflowStates: 'COMPLETE', statuses: 'In Review' } }));
			expectStarted(
				await signed(inReview, { parameters: { workflowStates: 'qa_review', statuses: 'in review' } }),
				IN_REVIEW_ITEM,
			);
		});
	});

	describe('empty filters accept any state and status', () => {
		it.each<[string, Record<string, unknown>]>([
			['absent', {}],
			['empty strings', { workflowStates: '', statuses: '' }],
			['only spaces and commas', { workflowStates: ' , ', statuses: ',' }],
		])('%s', async (_name, parameters) => {
			expectStarted(await signed(complete, { parameters }), COMPLETE_ITEM);
			expectStarted(await signed(inReview, { parameters }), IN_REVIEW_ITEM);
			const odd = bodyWith({ workflow_state: 'SOMETHING_NEW', status: 'Whatever' });
			expectStarted(await signed(odd, { parameters }), { ...COMPLETE_ITEM, workflow_state: 'SOMETHING_NEW', status: 'Whatever' });
		});

		it('pass a workflow_state that is not a string through when no filter is set', async () => {
			const outcome = await signed(bodyWith({ workflow_state: null }));
			expectStarted(outcome, { ...COMPLETE_ITEM, workflow_state: null });
		});
	});

	describe('a workflow_state or status that is not a string, with a filter set', () => {
		it.each<[string, string, unknown]>([
			['workflow_state', 'null', null],
			['workflow_state', 'a number', 42],
			['workflow_state', 'a boolean', true],
			['workflow_state', 'an object', { name: 'COMPLETE' }],
			['workflow_state', 'an array', ['COMPLETE']],
			['workflow_state', 'absent', undefined],
			['status', 'null', null],
			['status', 'a number', 7],
			['status', 'an object', { label: 'Complete' }],
			['status', 'an array', ['Complete']],
			['status', 'absent', undefined],
		])('%s %s: 200, nothing starts, no throw', async (field, _name, value) => {
			const filter = field === 'status' ? { statuses: 'Complete' } : { workflowStates: 'COMPLETE' };
			expectIgnored(await signed(bodyWith({ [field]: value }), { parameters: filter }));
		});
	});

	describe('a verified body that is not a SiteCapture delivery gets 400 and starts nothing', () => {
		it.each([
			['the docs’ curly-quoted api_key', complete.toString('utf8').replace(`"${API_KEY}"`, `“${API_KEY}”`)],
			['the documented body in a JSON array', JSON.stringify([JSON.parse(complete.toString('utf8'))])],
			['the documented body without event', bodyWith({ event: undefined })],
			['the documented body whose event is a number', bodyWith({ event: 1 })],
		])('%s', async (_name, text) => {
			expectMalformed(await signed(text));
		});
	});
});

describe('the credential test (checkSigningCredential)', () => {
	function testCredential(data: Record<string, unknown>) {
		return node.methods.credentialTest.checkSigningCredential.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'SiteCapture',
			type: 'siteCaptureWebhookApi',
			data: data as Record<string, string>,
		});
	}

	it.each([
		['a trailing line break', `${API_KEY}\n`],
		['a trailing carriage return and line break', `${API_KEY}\r\n`],
		['a leading space', ` ${API_KEY}`],
	])('flags an apiKey with %s, naming the field without echoing the key', async (_name, apiKey) => {
		const result = await testCredential({ apiKey, webhookSecret: SECRET });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('apiKey');
		expect(result.message).not.toContain(API_KEY);
		expect(result.message).not.toContain(SECRET);
	});

	it('passes a clean apiKey and HMAC secret', async () => {
		const result = await testCredential({ apiKey: API_KEY, webhookSecret: SECRET });
		expect(result.status).toBe('OK');
		expect(result.message).not.toContain(API_KEY);
	});

	it('fails when the HMAC secret is missing', async () => {
		const result = await testCredential({ apiKey: API_KEY });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(API_KEY);
	});
});
