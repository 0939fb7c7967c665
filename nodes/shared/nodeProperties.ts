import type { INodeProperties, INodeTypeDescription, IWebhookDescription } from 'n8n-workflow';

import { MAX_REMEMBERED_DELIVERIES, REMEMBER_FOR_HOURS } from './acceptedDeliveries';
import { FUTURE_SKEW_SECONDS } from './deliveryAge';
import type { TriggerProvider } from './TriggerProvider';
import { unsignedDeliveryProperties } from './unsignedDeliveries';

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

type PanelTexts = Pick<INodeTypeDescription, 'eventTriggerDescription' | 'activationMessage' | 'triggerPanel'>;

/**
 * What the trigger's panel says while it waits for a test delivery and once it is published:
 * where to send a delivery, and why one with a bad signature never shows up.
 */
export function triggerPanel(provider: TriggerProvider<never>): PanelTexts {
	const name = provider.name;
	const signed = `Only deliveries signed with the credential's secret show up here: one with a missing or wrong signature is refused with ${provider.rejectionStatus} before any execution exists, and the editor keeps waiting.`;
	return {
		eventTriggerDescription: `Waiting for a signed ${name} delivery to the Test URL`,
		activationMessage: `${name} deliveries to the Production URL now start this workflow. Paste that URL into ${name}.`,
		triggerPanel: {
			header: `Send a ${name} delivery to the Test URL`,
			executionsHelp: {
				inactive: `<b>While building the workflow</b>, click "Listen for test event", then send a delivery to the Test URL: put the Test URL in ${name}'s webhook settings for now and trigger an event there, or send a signed sample delivery (the package's README shows how). ${signed}<br /><br /><b>To run the workflow for real</b>, put the Production URL in ${name} and publish the workflow; deliveries then show up in the executions list.`,
				active: `The workflow is published: ${name} deliveries to the Production URL start it and show up in the <a data-key="executions">executions list</a>. To try a change here, click "Listen for test event" and send a delivery to the Test URL. ${signed}`,
			},
			activationHint: `Once the workflow is built, put the Production URL in ${name} and publish the workflow: deliveries then start it without this button.`,
		},
	};
}

/** Every parameter of a trigger's panel, in order, from its provider's facts. */
export function triggerProperties(provider: TriggerProvider<never>): INodeProperties[] {
	return [
		{ displayName: provider.setup, name: 'setupNotice', type: 'notice', default: '' },
		{
			displayName: 'Events',
			name: 'events',
			type: 'multiOptions',
			required: true,
			options: [...provider.events],
			// An array literal, so that n8n's lint sees the default of a multi-select is an array.
			default: [...provider.events.map((event) => event.value)],
			description: 'Deliveries of other events are acknowledged and start nothing',
		},
		...(provider.mayBeUnsigned === true ? unsignedDeliveryProperties(provider.name) : []),
		...(provider.filterProperties ?? []),
		dropDuplicatesProperty(provider),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				includeHeadersOption,
				...(provider.sentAt !== undefined ? [maxDeliveryAgeOption(provider)] : []),
				...(provider.options ?? []),
			],
		},
	];
}

function dropDuplicatesProperty(provider: TriggerProvider<never>): INodeProperties {
	const recognised =
		provider.duplicates.deliveryId !== undefined
			? `by the ID ${provider.name} gives each delivery`
			: 'by their exact signed bytes';
	const option = {
		displayName: 'Drop Duplicate Deliveries',
		name: 'dropDuplicates',
		description: `Whether to acknowledge a delivery this trigger already accepted without starting the workflow again, so that a captured delivery sent again starts nothing. Deliveries are recognised ${recognised} and remembered for ${REMEMBER_FOR_HOURS} hours (at most ${MAX_REMEMBERED_DELIVERIES.toLocaleString('en-US')}, oldest forgotten first), also across n8n restarts. ${provider.duplicates.why}`,
	};
	// Literal defaults, as n8n's lint wants them.
	return provider.duplicates.dropByDefault
		? { ...option, type: 'boolean', default: true }
		: { ...option, type: 'boolean', default: false };
}

const includeHeadersOption: INodeProperties = {
	displayName: 'Include Headers',
	name: 'includeHeaders',
	type: 'boolean',
	default: false,
	description:
		'Whether to add the request headers to the item as "headers". The signature header is always left out.',
};

function maxDeliveryAgeOption(provider: TriggerProvider<never>): INodeProperties {
	const retries = provider.duplicates.retriesForHours;
	const caution =
		retries === undefined
			? ''
			: ` ${provider.name} retries a failed delivery for up to ${retries} hours with its original timestamp: a retry older than this limit is refused and lost.`;
	return {
		displayName: 'Max Delivery Age (Minutes)',
		name: 'maxDeliveryAgeMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
		description: `Refuse a delivery whose signed timestamp is older than this, more than ${FUTURE_SKEW_SECONDS} seconds in the future, missing or unreadable, so that a captured delivery cannot be sent again later.${caution}`,
	};
}
