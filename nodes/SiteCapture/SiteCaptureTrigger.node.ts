import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, eventsProperty, optionsProperty, setupNotice } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { SITECAPTURE_EVENTS } from './SiteCaptureEvents';
import { siteCaptureProvider } from './SiteCaptureProvider';

export class SiteCaptureTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SiteCapture Trigger',
		name: 'siteCaptureTrigger',
		icon: { light: 'file:sitecapture.svg', dark: 'file:sitecapture.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when a SiteCapture project enters a workflow state',
		defaults: { name: 'SiteCapture Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'siteCaptureWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: [
			setupNotice(
				'In SiteCapture, open the gear icon > App Integrations > SiteCapture Webhook on Project Status Event > Configure, paste the production URL above as the Webhook URL, and copy the HMAC Shared Secret and your API key into the credential.',
			),
			eventsProperty(SITECAPTURE_EVENTS),
			{
				displayName: 'Workflow States',
				name: 'workflowStates',
				type: 'string',
				default: '',
				placeholder: 'COMPLETE, QA_REVIEW',
				description:
					'Start the workflow only when a project enters one of these workflow states (comma-separated, any letter case). Empty: any state.',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'string',
				default: '',
				placeholder: 'Complete',
				description:
					'Start the workflow only for these project statuses (comma-separated, any letter case). Empty: any status.',
			},
			optionsProperty(),
		],
	};

	methods = signingCredentialMethods;

	webhookMethods = { default: activationCheck(siteCaptureProvider) };

	webhook = deliveryHandler(siteCaptureProvider);
}
