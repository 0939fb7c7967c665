import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, eventsProperty, optionsProperty, setupNotice } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { SITEMARKS_EVENTS } from './SitemarksEvents';
import { sitemarksProvider } from './SitemarksProvider';

export class SitemarksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sitemarks Trigger',
		name: 'sitemarksTrigger',
		icon: { light: 'file:sitemarks.svg', dark: 'file:sitemarks.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when Sitemarks sends a signed webhook delivery',
		defaults: { name: 'Sitemarks Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sitemarksWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: [
			setupNotice(
				'In Sitemarks, go to Settings > Integrations, create a webhook with the production URL above and the same events, then copy the signing secret from the webhook detail view into the credential.',
			),
			eventsProperty(SITEMARKS_EVENTS),
			optionsProperty(),
		],
	};

	methods = signingCredentialMethods;

	webhookMethods = { default: activationCheck(sitemarksProvider) };

	webhook = deliveryHandler(sitemarksProvider);
}
