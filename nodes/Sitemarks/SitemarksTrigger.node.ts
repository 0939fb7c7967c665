import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, triggerPanel, triggerProperties } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { sitemarksProvider } from './SitemarksProvider';

export class SitemarksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sitemarks Trigger',
		name: 'sitemarksTrigger',
		icon: { light: 'file:sitemarks.svg', dark: 'file:sitemarks.dark.svg' },
		group: ['trigger'],
		// At 1, n8n evaluates an expression before every webhook() call (the Webhook node's binaryData
		// option); at 1.1 it evaluates none. Both behave the same otherwise.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when Sitemarks sends a signed webhook delivery',
		...triggerPanel(sitemarksProvider),
		defaults: { name: 'Sitemarks Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sitemarksWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: triggerProperties(sitemarksProvider),
	};

	methods = signingCredentialMethods(sitemarksProvider);

	webhookMethods = { default: activationCheck(sitemarksProvider) };

	webhook = deliveryHandler(sitemarksProvider);
}
