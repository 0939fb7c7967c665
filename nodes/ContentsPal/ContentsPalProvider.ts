import type { IWebhookFunctions } from 'n8n-workflow';

import type { Envelope, TriggerProvider } from '../shared/TriggerProvider';
import type { ContentsPalDelivery } from './ContentsPalEvents';

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
	credentialType: 'contentsPalWebhookApi',
	signature: { header: 'x-webhook-signature', encodings: ['hex'], prefix: 'sha256=' },
	rejectionStatus: 401,
	eventHeader: 'x-webhook-event',
	mayBeUnsigned: true,
	whyIgnored: (context, delivery) => unwatchedUpdate(context, delivery),
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
