/** The body of SiteCapture's Status Change Webhook, as its documentation shows it. */
export interface SiteCaptureStatusChange {
	project_id: number;
	status: string;
	workflow_state: string;
	event: 'status_change';
	/** The account's API key: checked by the trigger, then removed before anything else sees it. */
	api_key: string;
}

/** What the workflow receives: the delivery without its API key. */
export type SiteCaptureStatusChangeItem = Omit<SiteCaptureStatusChange, 'api_key'>;

export const SITECAPTURE_EVENTS: ReadonlyArray<{ name: string; value: 'status_change'; description: string }> = [
	{ name: 'Status Change', value: 'status_change', description: 'A project enters a workflow state' },
];
