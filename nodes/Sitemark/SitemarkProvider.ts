import { timestampedBodies } from '../shared/duplicateDeliveries';
import type { EventOption, Envelope, TriggerProvider } from '../shared/TriggerProvider';

/** Payload types of Sitemark's webhook deliveries, as its webhook documentation lists them. */

export interface SitemarkJobCompletedData {
	job_id: string;
	name: string;
	completed_at: string;
	shot_count: number;
	pass_rate: number;
	report_url: string;
}

export interface SitemarkShotLoggedData {
	shot_id: string;
	job_id: string;
	elevation: number;
	design_grade: number;
	delta: number;
	pass: boolean;
	station: string;
	offset: string;
	logged_at: string;
}

export interface SitemarkReportGeneratedData {
	report_id: string;
	job_id: string;
	format: string;
	url: string;
	expires_at: string;
}

interface SitemarkEventData {
	'job.completed': SitemarkJobCompletedData;
	'shot.logged': SitemarkShotLoggedData;
	'report.generated': SitemarkReportGeneratedData;
}

export type SitemarkEventName = keyof SitemarkEventData;

/** One delivery's body: the same envelope for every event, with event-specific `data`. */
export type SitemarkDelivery = {
	[E in SitemarkEventName]: { event: E; created_at: string; data: SitemarkEventData[E] };
}[SitemarkEventName];

export const SITEMARK_EVENTS: ReadonlyArray<EventOption & { value: SitemarkEventName }> = [
	{ name: 'Job Completed', value: 'job.completed', description: 'A job is marked complete' },
	{ name: 'Shot Logged', value: 'shot.logged', description: 'A grade shot is recorded' },
	{ name: 'Report Generated', value: 'report.generated', description: 'An as-built report is ready' },
];

/**
 * How Sitemark signs a delivery:
 * 1. HMAC-SHA256 of the raw request body, keyed with the webhook secret.
 * 2. The digest as lowercase hex, with no prefix, in `X-Sitemark-Signature`.
 * 3. Sitemark's documentation asks receivers to answer 400 when it does not match.
 */
export const sitemarkProvider: TriggerProvider<SitemarkDelivery & Envelope> = {
	name: 'Sitemark',
	setup:
		'In Sitemark, open your account settings, add a webhook endpoint with the production URL above, and copy its webhook secret into the credential.',
	credential: { type: 'sitemarkWebhookApi' },
	signature: { header: 'x-sitemark-signature', encodings: ['hex'], prefix: '' },
	rejectionStatus: 400,
	events: SITEMARK_EVENTS,
	...timestampedBodies((delivery) => delivery.created_at),
};
