import type { Envelope, TriggerProvider } from '../shared/TriggerProvider';
import type { SitemarksDelivery } from './SitemarksEvents';

/**
 * How Sitemarks signs a delivery:
 * 1. HMAC-SHA256 of the raw request body, keyed with the webhook's signing secret.
 * 2. The digest as hex, with no prefix, in `X-Webhook-Signature`.
 * 3. `X-Webhook-Event` names the event, for routing before the body is parsed.
 * 4. Its documentation answers 401 to a bad signature. A delivery counts as failed without a 2xx
 *    within 5 seconds, which the trigger meets by answering before the workflow runs.
 */
export const sitemarksProvider: TriggerProvider<SitemarksDelivery & Envelope> = {
	name: 'Sitemarks',
	credentialType: 'sitemarksWebhookApi',
	signature: { header: 'x-webhook-signature', encodings: ['hex'], prefix: '' },
	rejectionStatus: 401,
	eventHeader: 'x-webhook-event',
};
