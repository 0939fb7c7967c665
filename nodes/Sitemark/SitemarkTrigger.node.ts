import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, triggerPanel, triggerProperties } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { sitemarkProvider } from './SitemarkProvider';

export class SitemarkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sitemark Trigger',
		name: 'sitemarkTrigger',
		icon: { light: 'file:sitemark.svg', dark: 'file:sitemark.dark.svg' },
		group: ['trigger'],
		// At 1, n8n evaluates an expression before every webhook() call (the Webhook node's binaryData
		// option); at 1.1 it evaluates none. Both behave the same otherwise.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when Sitemark sends a signed webhook delivery',
		...triggerPanel(sitemarkProvider),
		defaults: { name: 'Sitemark Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sitemarkWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: triggerProperties(sitemarkProvider),
	};

	methods = signingCredentialMethods(sitemarkProvider);

	webhookMethods = { default: activationCheck(sitemarkProvider) };

	webhook = deliveryHandler(sitemarkProvider);
}
