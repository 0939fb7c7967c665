import type { IWebhookFunctions } from 'n8n-workflow';
import { timestampedBodies } from '../shared/duplicateDeliveries';
import type { EventOption, Envelope, TriggerProvider } from '../shared/TriggerProvider';

/** Payload types of ContentsPal's webhook deliveries, from its Payload Schema and Field Details. */

export interface ContentsPalCustomer {
	name?: string;
	email?: string;
	phone?: string;
}

export interface ContentsPalInsurance {
	claimNumber?: string;
	company?: string;
	lossType?: string;
	policyNumber?: string;
	agent?: string;
	phone?: string;
	email?: string;
}

export interface ContentsPalJob {
	id: string;
	name: string;
	status?: string;
	customer?: ContentsPalCustomer;
	insurance?: ContentsPalInsurance;
	ownerUserId: string;
	createdAt: string;
	updatedAt: string;
}

/** The fields ContentsPal watches for job.updated. */
export type ContentsPalWatchedField = 'jobName' | 'settings.customer' | 'settings.insurance';

export interface ContentsPalChange {
	field: ContentsPalWatchedField;
	oldValue: unknown;
	newValue: unknown;
}

export type ContentsPalEventName = 'job.created' | 'job.updated' | 'job.deleted';

export interface ContentsPalDelivery {
	event: ContentsPalEventName;
	timestamp: string;
	organizationId: string;
	job: ContentsPalJob;
	/** Only present for job.updated. */
	changes?: ContentsPalChange[];
}

export const CONTENTSPAL_EVENTS: ReadonlyArray<EventOption & { value: ContentsPalEventName }> = [
	{ name: 'Job Created', value: 'job.created', description: 'A new job is created in the organization' },
	{ name: 'Job Deleted', value: 'job.deleted', description: 'A job is deleted' },
	{ name: 'Job Updated', value: 'job.updated', description: "A job's name, customer, or insurance details are modified" },
];

export const CONTENTSPAL_WATCHED_FIELDS: ReadonlyArray<{ name: string; value: ContentsPalWatchedField }> = [
	{ name: 'Job Name', value: 'jobName' },
	{ name: 'Customer', value: 'settings.customer' },
	{ name: 'Insurance', value: 'settings.insurance' },
];


/**
 * How ContentsPal signs a delivery:
 * 1. Only when a signing secret is configured in ContentsPal; otherwise it sends no signature.
 * 2. HMAC-SHA256 of the raw request body, keyed with that secret, as hex behind `sha256=`,
 *    in `X-Webhook-Signature`. `X-Webhook-Event` names the event.
 * 3. Fire-and-forget: no retries, requests aborted after 30 seconds. Its documentation names no
 *    rejection code; 401 is what n8n's own triggers answer.
 */
export const contentsPalProvider: TriggerProvider<ContentsPalDelivery & Envelope> = {
	name: 'ContentsPal',
	setup:
		'In ContentsPal, an organization admin opens Organization > Integrations, sets Endpoint URL to the production URL above, turns Enabled on, and sets a Signing Secret; put the same secret in the credential.',
	credential: { type: 'contentsPalWebhookApi' },
	signature: { header: 'x-webhook-signature', encodings: ['hex'], prefix: 'sha256=' },
	rejectionStatus: 401,
	events: CONTENTSPAL_EVENTS,
	eventHeader: 'x-webhook-event',
	mayBeUnsigned: true,
	...timestampedBodies((delivery) => delivery.timestamp),
	options: [
		{
			displayName: 'Watched Fields (Job Updated)',
			name: 'watchedFields',
			type: 'multiOptions',
			options: [...CONTENTSPAL_WATCHED_FIELDS],
			default: [],
			description:
				'Start the workflow for job.updated only when one of these fields changed. With none chosen, every update starts it.',
		},
	],
	filter: (context, delivery) => unwatchedUpdate(context, delivery),
};

/** A job.updated delivery starts the workflow only when one of the chosen watched fields changed. */
function unwatchedUpdate(context: IWebhookFunctions, delivery: ContentsPalDelivery): string | undefined {
	if (delivery.event !== 'job.updated') return undefined;
	const options = context.getNodeParameter('options', {}) as { watchedFields?: string[] };
	const watched = options.watchedFields ?? [];
	if (watched.length === 0) return undefined;
	const changed = Array.isArray(delivery.changes)
		? delivery.changes.map((change) => (typeof change === 'object' && change !== null ? change.field : undefined))
		: [];
	return changed.some((field) => typeof field === 'string' && watched.includes(field))
		? undefined
		: 'none of the watched fields changed';
}
