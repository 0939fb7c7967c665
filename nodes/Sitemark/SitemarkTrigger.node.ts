import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, eventsProperty, optionsProperty, setupNotice } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { SITEMARK_EVENTS } from './SitemarkEvents';
import { sitemarkProvider } from './SitemarkProvider';

export class SitemarkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sitemark Trigger',
		name: 'sitemarkTrigger',
		icon: { light: 'file:sitemark.svg', dark: 'file:sitemark.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when Sitemark sends a signed webhook delivery',
		defaults: { name: 'Sitemark Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sitemarkWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: [
			setupNotice(
				'In Sitemark, open your account settings, add a webhook endpoint with the production URL above, and copy its webhook secret into the credential.',
			),
			eventsProperty(SITEMARK_EVENTS),
			optionsProperty(),
		],
	};

	methods = signingCredentialMethods;

	webhookMethods = { default: activationCheck(sitemarkProvider) };

	webhook = deliveryHandler(sitemarkProvider);
}
