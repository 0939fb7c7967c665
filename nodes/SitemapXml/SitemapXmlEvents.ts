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

export const SITEMAP_XML_EVENTS: ReadonlyArray<{ name: string; value: SitemapXmlEventName; description: string }> = [
	{ name: 'Crawl Error', value: 'crawl.error', description: 'Crawl failures, 4xx/5xx responses, or blocked resources' },
	{ name: 'Indexing Completed', value: 'indexing.completed', description: 'Search engine indexing finished for submitted URLs' },
	{ name: 'Quota Warning', value: 'quota.warning', description: 'Plan limits for URLs or API calls approached or exceeded' },
	{ name: 'Sitemap Generated', value: 'sitemap.generated', description: 'A new sitemap file was compiled and published' },
	{ name: 'Sitemap Updated', value: 'sitemap.updated', description: 'An existing sitemap changed with content or on schedule' },
];
