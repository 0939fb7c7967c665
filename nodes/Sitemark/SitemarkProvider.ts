import type { Envelope, TriggerProvider } from '../shared/TriggerProvider';
import type { SitemarkDelivery } from './SitemarkEvents';

/**
 * How Sitemark signs a delivery:
 * 1. HMAC-SHA256 of the raw request body, keyed with the webhook secret.
 * 2. The digest as lowercase hex, with no prefix, in `X-Sitemark-Signature`.
 * 3. Sitemark's documentation asks receivers to answer 400 when it does not match.
 */
export const sitemarkProvider: TriggerProvider<SitemarkDelivery & Envelope> = {
	name: 'Sitemark',
	credentialType: 'sitemarkWebhookApi',
	signature: { header: 'x-sitemark-signature', encodings: ['hex'], prefix: '' },
	rejectionStatus: 400,
};
