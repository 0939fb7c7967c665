import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, triggerPanel, triggerProperties } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { contentsPalProvider } from './ContentsPalProvider';

export class ContentsPalTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ContentsPal Trigger',
		name: 'contentsPalTrigger',
		icon: { light: 'file:contentspal.svg', dark: 'file:contentspal.dark.svg' },
		group: ['trigger'],
		// At 1, n8n evaluates an expression before every webhook() call (the Webhook node's binaryData
		// option); at 1.1 it evaluates none. Both behave the same otherwise.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when ContentsPal sends a webhook delivery for a job',
		...triggerPanel(contentsPalProvider),
		defaults: { name: 'ContentsPal Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'contentsPalWebhookApi', required: false, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: triggerProperties(contentsPalProvider),
	};

	methods = signingCredentialMethods(contentsPalProvider);

	webhookMethods = { default: activationCheck(contentsPalProvider) };

	webhook = deliveryHandler(contentsPalProvider);
}
