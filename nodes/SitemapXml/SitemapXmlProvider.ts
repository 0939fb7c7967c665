import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { Envelope, TriggerProvider } from '../shared/TriggerProvider';
import { writeAgainOnAcknowledgement } from '../shared/acceptedResponse';
import { forgetAcceptedInProcess, isDuplicateElseRemember, writeAcceptedAgain } from './acceptedDeliveryIds';
import { SITEMAP_XML_FIELD_TYPES, type SitemapXmlDelivery } from './SitemapXmlEvents';
import { xmlToObject } from './xmlEnvelope';

type SitemapXmlBody = SitemapXmlDelivery & Envelope & { signature?: string; event_id?: string };

/**
 * How Sitemap.xml signs a delivery:
 * 1. HMAC-SHA256 of the raw request body (JSON or XML), keyed with the signing secret.
 * 2. `sha256=` and the hex digest in `X-Sitemap-Signature`; `X-Sitemap-Event` names the event.
 * 3. At least once: failures are retried with backoff for up to 72 hours, each payload with a
 *    unique `id` (also called `event_id`), so duplicates are dropped by id, not by timestamp.
 * Its documentation names no rejection code; 401 is what n8n's own triggers answer.
 */
export const sitemapXmlProvider: TriggerProvider<SitemapXmlBody> = {
	name: 'Sitemap.xml',
	credentialType: 'sitemapXmlWebhookApi',
	signature: { header: 'x-sitemap-signature', encodings: ['hex'], prefix: 'sha256=' },
	rejectionStatus: 401,
	eventHeader: 'x-sitemap-event',
	parseBody: (rawBody) => {
		const text = rawBody.toString('utf8');
		// The body says what it is: the content type is not covered by the signature.
		return text.trimStart().startsWith('<') ? xmlToObject(text, SITEMAP_XML_FIELD_TYPES) : JSON.parse(text);
	},
	whyIgnored: (context, delivery) => duplicate(context, delivery),
	toItem: (delivery) => {
		const item: IDataObject = { ...delivery };
		// Not a secret, but not data either: the signature was checked from the header.
		delete item.signature;
		return item;
	},
};

/** The delivery's id: `id`, or `event_id` as the documentation also calls it. */
function deliveryId(delivery: SitemapXmlBody): string | undefined {
	for (const id of [delivery.id, delivery.event_id] as unknown[]) {
		if (typeof id === 'string' && id !== '') return id;
		if (typeof id === 'number') return String(id);
	}
	return undefined;
}

function duplicate(context: IWebhookFunctions, delivery: SitemapXmlBody): string | undefined {
	if (context.getNodeParameter('dropDuplicates', true) !== true) return undefined;
	const id = deliveryId(delivery);
	if (id === undefined) return undefined;
	const staticData = context.getWorkflowStaticData('node');
	// A test delivery (Test URL) only sees its own session's static data, which n8n never saves:
	// sending the same sample again starts the workflow again, as it always did.
	if (context.getMode() === 'manual') {
		return isDuplicateElseRemember(staticData, id, Date.now()) ? ALREADY_ACCEPTED : undefined;
	}
	const node = context.getNode();
	const scope = `${context.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
	if (isDuplicateElseRemember(staticData, id, Date.now(), scope)) return ALREADY_ACCEPTED;
	// n8n 2.x saves the id only if it is written again once the execution is recorded.
	writeAgainOnAcknowledgement(context, () => writeAcceptedAgain(staticData, scope));
	// n8n answers an accepted delivery once it has recorded the execution; an answer of 300 or
	// more means it did not, and the provider will retry.
	const response = context.getResponseObject();
	response.once('finish', () => {
		if (response.statusCode >= 300) forgetAcceptedInProcess(scope, id);
	});
	return undefined;
}

const ALREADY_ACCEPTED = 'its id was already accepted (a retry or duplicate)';
