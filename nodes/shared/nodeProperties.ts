import type { INodeProperties, INodePropertyOptions, IWebhookDescription } from 'n8n-workflow';

/**
 * The one webhook every trigger has. A refused or ignored delivery is answered by the node; an
 * accepted one by n8n with the node's `webhookResponse` (`responseData: ''` declares no fixed
 * response, which would otherwise be the text "firstEntryJson").
 */
export const ACCEPTED_DELIVERY_WEBHOOK: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	responseMode: 'onReceived',
	responseData: '',
	path: 'webhook',
};

/** The node's `subtitle`: the events it starts on. */
export const EVENTS_SUBTITLE = '={{($parameter["events"] || []).join(", ")}}';

/** A notice at the top of the panel saying where the URL goes and where the secret comes from. */
export function setupNotice(text: string): INodeProperties {
	return { displayName: text, name: 'setupNotice', type: 'notice', default: '' };
}

/** The events multi-select; every event is selected by default. */
export function eventsProperty(events: readonly INodePropertyOptions[]): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [...events],
		// An array literal, so that n8n's lint sees the default of a multi-select is an array.
		default: [...events.map((event) => event.value)],
		description: 'Deliveries of other events are acknowledged and start nothing',
	};
}

export const includeHeadersOption: INodeProperties = {
	displayName: 'Include Headers',
	name: 'includeHeaders',
	type: 'boolean',
	default: false,
	description:
		'Whether to add the request headers to the item as "headers". The signature header is always left out.',
};

/** The `options` collection: what every trigger offers, then the provider's own options. */
export function optionsProperty(providerOptions: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includeHeadersOption, ...providerOptions],
	};
}
