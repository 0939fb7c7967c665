import type { IDataObject } from 'n8n-workflow';
import type { EventOption, Envelope, TriggerProvider } from '../shared/TriggerProvider';
import { xmlTextChunks, xmlToObject } from './xmlEnvelope';

/**
 * Payload types of Sitemap.xml's webhook deliveries. Its documentation shows the envelope and the
 * data of sitemap.generated; the data of the other events is not documented, so their fields are
 * optional and anything else they carry passes through unchanged.
 */

export interface SitemapGeneratedData {
	sitemap_url: string;
	total_urls: number;
	version: string;
	submitted_to: string[];
	size_bytes: number;
}

export interface SitemapUpdatedData extends Partial<SitemapGeneratedData> {
	urls_added?: number;
	urls_removed?: number;
}

export interface IndexingCompletedData {
	sitemap_url?: string;
	search_engine?: string;
	urls_submitted?: number;
	urls_indexed?: number;
	urls_failed?: number;
}

export interface CrawlErrorData {
	sitemap_url?: string;
	error_count?: number;
	errors?: Array<{ url?: string; status_code?: number; reason?: string }>;
}

export interface QuotaWarningData {
	resource?: string;
	used?: number;
	limit?: number;
	percent_used?: number;
	period_end?: string;
}

interface SitemapXmlEventData {
	'sitemap.generated': SitemapGeneratedData;
	'sitemap.updated': SitemapUpdatedData;
	'indexing.completed': IndexingCompletedData;
	'crawl.error': CrawlErrorData;
	'quota.warning': QuotaWarningData;
}

export type SitemapXmlEventName = keyof SitemapXmlEventData;

/** The envelope as the workflow receives it: the body's own `signature` field is left out. */
export type SitemapXmlDelivery = {
	[E in SitemapXmlEventName]: { id: string; event: E; timestamp: string; data: SitemapXmlEventData[E] };
}[SitemapXmlEventName];

/** Fields whose XML text is a number, and fields that are arrays, so XML gives what JSON gives. */
export const SITEMAP_XML_FIELD_TYPES = {
	numbers: new Set([
		'total_urls',
		'size_bytes',
		'urls_added',
		'urls_removed',
		'urls_submitted',
		'urls_indexed',
		'urls_failed',
		'error_count',
		'status_code',
		'used',
		'limit',
		'percent_used',
	]),
	arrays: new Set(['submitted_to', 'errors']),
};

export const SITEMAP_XML_EVENTS: ReadonlyArray<EventOption & { value: SitemapXmlEventName }> = [
	{ name: 'Crawl Error', value: 'crawl.error', description: 'Crawl failures, 4xx/5xx responses, or blocked resources' },
	{ name: 'Indexing Completed', value: 'indexing.completed', description: 'Search engine indexing finished for submitted URLs' },
	{ name: 'Quota Warning', value: 'quota.warning', description: 'Plan limits for URLs or API calls approached or exceeded' },
	{ name: 'Sitemap Generated', value: 'sitemap.generated', description: 'A new sitemap file was compiled and published' },
	{ name: 'Sitemap Updated', value: 'sitemap.updated', description: 'An existing sitemap changed with content or on schedule' },
];


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
	setup:
		'In Sitemap.xml, open the webhook configuration, register the production URL above as the endpoint, subscribe to the same events, and set a signing secret; put the same secret in the credential.',
	credential: { type: 'sitemapXmlWebhookApi' },
	signature: { header: 'x-sitemap-signature', encodings: ['hex'], prefix: 'sha256=' },
	rejectionStatus: 401,
	events: SITEMAP_XML_EVENTS,
	eventHeader: 'x-sitemap-event',
	duplicates: {
		dropByDefault: true,
		why: 'On by default: Sitemap.xml delivers at least once and retries a failed delivery for up to 72 hours, each time with the same ID.',
		deliveryId,
		retriesForHours: 72,
	},
	sentAt: (delivery) => delivery.timestamp,
	parseBody: (rawBody) => {
		const chunks = xmlTextChunks(rawBody);
		// The body says what it is: the content type is not covered by the signature. Every chunk
		// after the first starts with `<`, so a first chunk of white space is followed by one.
		const lead = chunks.length > 0 ? chunks[0].trimStart() : '';
		const isXml = lead.startsWith('<') || (lead === '' && chunks.length > 1);
		return isXml ? xmlToObject(chunks, SITEMAP_XML_FIELD_TYPES) : JSON.parse(chunks.join(''));
	},
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
