import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, triggerPanel, triggerProperties } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { siteCaptureProvider } from './SiteCaptureProvider';

export class SiteCaptureTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SiteCapture Trigger',
		name: 'siteCaptureTrigger',
		icon: { light: 'file:sitecapture.svg', dark: 'file:sitecapture.dark.svg' },
		group: ['trigger'],
		// At 1, n8n evaluates an expression before every webhook() call (the Webhook node's binaryData
		// option); at 1.1 it evaluates none. Both behave the same otherwise.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when a SiteCapture project enters a workflow state',
		...triggerPanel(siteCaptureProvider),
		defaults: { name: 'SiteCapture Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'siteCaptureWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: triggerProperties(siteCaptureProvider),
	};

	methods = signingCredentialMethods(siteCaptureProvider);

	webhookMethods = { default: activationCheck(siteCaptureProvider) };

	webhook = deliveryHandler(siteCaptureProvider);
}
