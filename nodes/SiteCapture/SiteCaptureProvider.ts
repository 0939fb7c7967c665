import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { constantTimeEquals } from '../shared/SignatureVerifier';
import type { Envelope, TriggerProvider } from '../shared/TriggerProvider';
import type { SiteCaptureStatusChange } from './SiteCaptureEvents';

/**
 * How SiteCapture authenticates a delivery, two ways, both required here:
 * 1. `x-hmac-hash`: HMAC-SHA256 of the request body keyed with the "HMAC Shared Secret". Its
 *    documentation does not say hex or base64, so either is accepted.
 * 2. `api_key` in the JSON body: the account's API key, compared in constant time.
 * Its documentation names no rejection code; 401 is what n8n's own triggers answer.
 */
export const siteCaptureProvider: TriggerProvider<SiteCaptureStatusChange & Envelope> = {
	name: 'SiteCapture',
	credentialType: 'siteCaptureWebhookApi',
	signature: { header: 'x-hmac-hash', encodings: ['hex', 'base64'], prefix: '' },
	requiredCredentialFields: { apiKey: 'API key' },
	rejectionStatus: 401,
	authenticate: (delivery, credentials) => {
		const expected = credentials.apiKey;
		if (typeof expected !== 'string' || expected === '') return 'no API key is configured in the credential';
		const received: unknown = delivery.api_key;
		if (received === undefined) return 'the body carries no api_key';
		if (typeof received !== 'string') return 'the body’s api_key is not a string';
		return constantTimeEquals(received, expected) ? undefined : 'the body’s api_key is not the configured API key';
	},
	whyIgnored: (context, delivery) => unwantedState(context, delivery),
	toItem: (delivery) => withoutApiKey(delivery),
};

function withoutApiKey(delivery: SiteCaptureStatusChange & Envelope): IDataObject {
	const item: IDataObject = { ...delivery };
	delete item.api_key;
	return item;
}

/** Parses a comma-separated filter into upper-case names; empty means "any". */
export function parseFilter(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(',')
		.map((name) => name.trim().toUpperCase())
		.filter((name) => name !== '');
}

function unwantedState(context: IWebhookFunctions, delivery: SiteCaptureStatusChange): string | undefined {
	const states = parseFilter(context.getNodeParameter('workflowStates', ''));
	if (states.length > 0 && !isOneOf(delivery.workflow_state, states)) return 'its workflow state is not one of the chosen states';
	const statuses = parseFilter(context.getNodeParameter('statuses', ''));
	if (statuses.length > 0 && !isOneOf(delivery.status, statuses)) return 'its status is not one of the chosen statuses';
	return undefined;
}

/**
 * Whether `value`, upper-cased, is one of `names`. Upper-casing never shortens a string, so a value
 * longer than every name is none of them: a large field is not copied to find that out.
 */
function isOneOf(value: unknown, names: string[]): boolean {
	if (typeof value !== 'string') return false;
	if (value.length > Math.max(...names.map((name) => name.length))) return false;
	return names.includes(value.toUpperCase());
}
