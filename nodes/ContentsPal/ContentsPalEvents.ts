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

export const CONTENTSPAL_EVENTS: ReadonlyArray<{ name: string; value: ContentsPalEventName; description: string }> = [
	{ name: 'Job Created', value: 'job.created', description: 'A new job is created in the organization' },
	{ name: 'Job Deleted', value: 'job.deleted', description: 'A job is deleted' },
	{ name: 'Job Updated', value: 'job.updated', description: "A job's name, customer, or insurance details are modified" },
];

export const CONTENTSPAL_WATCHED_FIELDS: ReadonlyArray<{ name: string; value: ContentsPalWatchedField }> = [
	{ name: 'Job Name', value: 'jobName' },
	{ name: 'Customer', value: 'settings.customer' },
	{ name: 'Insurance', value: 'settings.insurance' },
];
