import { timestampedBodies } from '../shared/duplicateDeliveries';
import type { EventOption, Envelope, TriggerProvider } from '../shared/TriggerProvider';

/** Payload types of Sitemarks' webhook deliveries, with the fields its documentation lists per event. */

interface SitemarksMarkupRef {
	markupId: string;
	projectId: string;
	orgId: string;
	userId: string;
}

export interface SitemarksAnnotationCreated extends SitemarksMarkupRef {
	annotationId: string;
	userName: string;
	markupTitle: string;
	markupType: string;
	sourceUrl: string;
	pagePath: string;
}

export interface SitemarksAnnotationResolved extends SitemarksMarkupRef {
	annotationId: string;
	userName: string;
	markupTitle: string;
}

export interface SitemarksCommentCreated extends SitemarksMarkupRef {
	commentId: string;
	annotationId: string;
	userName: string;
	body: string;
	markupTitle: string;
}

export interface SitemarksCommentUpdated extends SitemarksMarkupRef {
	commentId: string;
	annotationId: string;
	body: string;
}

export interface SitemarksMarkupStatusChanged extends SitemarksMarkupRef {
	status: string;
	userName: string;
	markupTitle: string;
}

export type SitemarksMarkupDeleted = SitemarksMarkupRef;

interface SitemarksEventPayload {
	'annotation.created': SitemarksAnnotationCreated;
	'annotation.resolved': SitemarksAnnotationResolved;
	'comment.created': SitemarksCommentCreated;
	'comment.updated': SitemarksCommentUpdated;
	'markup.status_changed': SitemarksMarkupStatusChanged;
	'markup.deleted': SitemarksMarkupDeleted;
}

export type SitemarksEventName = keyof SitemarksEventPayload;

/** One delivery's body: `event`, its `payload`, and when it was sent. */
export type SitemarksDelivery = {
	[E in SitemarksEventName]: { event: E; payload: SitemarksEventPayload[E]; timestamp: string };
}[SitemarksEventName];

export const SITEMARKS_EVENTS: ReadonlyArray<EventOption & { value: SitemarksEventName }> = [
	{ name: 'Annotation Created', value: 'annotation.created', description: 'A new annotation is placed on a markup' },
	{ name: 'Annotation Resolved', value: 'annotation.resolved', description: 'An annotation is marked as resolved' },
	{ name: 'Comment Created', value: 'comment.created', description: 'A new comment is added to an annotation' },
	{ name: 'Comment Updated', value: 'comment.updated', description: 'An existing comment is edited' },
	{ name: 'Markup Deleted', value: 'markup.deleted', description: 'A markup is permanently deleted' },
	{ name: 'Markup Status Changed', value: 'markup.status_changed', description: "A markup's status changes, for example from active to paused" },
];

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
	setup:
		'In Sitemarks, go to Settings > Integrations, create a webhook with the production URL above and the same events, then copy the signing secret from the webhook detail view into the credential.',
	credential: { type: 'sitemarksWebhookApi' },
	signature: { header: 'x-webhook-signature', encodings: ['hex'], prefix: '' },
	rejectionStatus: 401,
	events: SITEMARKS_EVENTS,
	eventHeader: 'x-webhook-event',
	...timestampedBodies((delivery) => delivery.timestamp),
};
