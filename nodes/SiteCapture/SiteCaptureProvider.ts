import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { constantTimeEquals } from '../shared/SignatureVerifier';
import type { EventOption, Envelope, TriggerProvider } from '../shared/TriggerProvider';

/** The body of SiteCapture's Status Change Webhook, as its documentation shows it. */
export interface SiteCaptureStatusChange {
	project_id: number;
	status: string;
	workflow_state: string;
	event: 'status_change';
	/** The account's API key: checked by the trigger, then removed before anything else sees it. */
	api_key: string;
}

/** What the workflow receives: the delivery without its API key. */
export type SiteCaptureStatusChangeItem = Omit<SiteCaptureStatusChange, 'api_key'>;

export const SITECAPTURE_EVENTS: ReadonlyArray<EventOption & { value: 'status_change' }> = [
	{ name: 'Status Change', value: 'status_change', description: 'A project enters a workflow state' },
];


/**
 * How SiteCapture authenticates a delivery, two ways, both required here:
 * 1. `x-hmac-hash`: HMAC-SHA256 of the request body keyed with the "HMAC Shared Secret". Its
 *    documentation does not say hex or base64, so either is accepted.
 * 2. `api_key` in the JSON body: the account's API key, compared in constant time.
 * Its documentation names no rejection code; 401 is what n8n's own triggers answer.
 */
export const siteCaptureProvider: TriggerProvider<SiteCaptureStatusChange & Envelope> = {
	name: 'SiteCapture',
	setup:
		'In SiteCapture, open the gear icon > App Integrations > SiteCapture Webhook on Project Status Event > Configure, paste the production URL above as the Webhook URL, and copy the HMAC Shared Secret and your API key into the credential.',
	credential: { type: 'siteCaptureWebhookApi', fields: { apiKey: { label: 'API key', required: true } } },
	signature: { header: 'x-hmac-hash', encodings: ['hex', 'base64'], prefix: '' },
	rejectionStatus: 401,
	events: SITECAPTURE_EVENTS,
	duplicates: {
		dropByDefault: false,
		why: 'Off by default: a SiteCapture delivery has no ID and no time, so two genuine changes to the same state send the very same bytes, and the second would be dropped. Turn it on only if a project never enters the same state twice.',
	},
	filterProperties: [
		{
			displayName: 'Workflow States',
			name: 'workflowStates',
			type: 'string',
			default: '',
			placeholder: 'COMPLETE, QA_REVIEW',
			description:
				'Start the workflow only when a project enters one of these workflow states (comma-separated, any letter case). Empty: any state.',
		},
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'string',
			default: '',
			placeholder: 'Complete',
			description:
				'Start the workflow only for these project statuses (comma-separated, any letter case). Empty: any status.',
		},
	],
	authenticate: (delivery, credentials) => {
		const expected = credentials.apiKey;
		if (typeof expected !== 'string' || expected === '') return 'no API key is configured in the credential';
		const received: unknown = delivery.api_key;
		if (received === undefined) return 'the body carries no api_key';
		if (typeof received !== 'string') return 'the body’s api_key is not a string';
		return constantTimeEquals(received, expected) ? undefined : 'the body’s api_key is not the configured API key';
	},
	filter: (context, delivery) => unwantedState(context, delivery),
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
