import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, eventsProperty, optionsProperty, setupNotice } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { CONTENTSPAL_EVENTS, CONTENTSPAL_WATCHED_FIELDS } from './ContentsPalEvents';
import { contentsPalProvider } from './ContentsPalProvider';

export class ContentsPalTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ContentsPal Trigger',
		name: 'contentsPalTrigger',
		icon: { light: 'file:contentspal.svg', dark: 'file:contentspal.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when ContentsPal sends a webhook delivery for a job',
		defaults: { name: 'ContentsPal Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'contentsPalWebhookApi', required: false, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: [
			setupNotice(
				'In ContentsPal, an organization admin opens Organization > Integrations, sets Endpoint URL to the production URL above, turns Enabled on, and sets a Signing Secret; put the same secret in the credential.',
			),
			eventsProperty(CONTENTSPAL_EVENTS),
			{
				displayName: 'Accept Unsigned Deliveries',
				name: 'acceptUnsignedDeliveries',
				type: 'boolean',
				default: false,
				description:
					'Whether to start the workflow for deliveries without a signature when the credential has no signing secret. Anyone who finds this URL could then start the workflow with data of their choosing. Setting a Signing Secret in ContentsPal is safer; with a secret in the credential, every delivery must be signed whatever this says.',
			},
			{
				displayName:
					'Unsigned deliveries are accepted: anyone who learns this webhook URL can start the workflow. Set a Signing Secret in ContentsPal and in the credential to close it.',
				name: 'unsignedWarning',
				type: 'notice',
				default: '',
				displayOptions: { show: { acceptUnsignedDeliveries: [true] } },
			},
			optionsProperty([
				{
					displayName: 'Watched Fields (Job Updated)',
					name: 'watchedFields',
					type: 'multiOptions',
					options: [...CONTENTSPAL_WATCHED_FIELDS],
					default: [],
					description:
						'Start the workflow for job.updated only when one of these fields changed. With none chosen, every update starts it.',
				},
			]),
		],
	};

	methods = signingCredentialMethods;

	webhookMethods = { default: activationCheck(contentsPalProvider) };

	webhook = deliveryHandler(contentsPalProvider);
}
