import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, eventsProperty, optionsProperty, setupNotice } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { SITEMAP_XML_EVENTS } from './SitemapXmlEvents';
import { sitemapXmlProvider } from './SitemapXmlProvider';

export class SitemapXmlTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sitemap.xml Trigger',
		name: 'sitemapXmlTrigger',
		icon: { light: 'file:sitemapxml.svg', dark: 'file:sitemapxml.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when Sitemap.xml sends a signed webhook delivery, in JSON or XML',
		defaults: { name: 'Sitemap.xml Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sitemapXmlWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: [
			setupNotice(
				'In Sitemap.xml, open the webhook configuration, register the production URL above as the endpoint, subscribe to the same events, and set a signing secret; put the same secret in the credential.',
			),
			eventsProperty(SITEMAP_XML_EVENTS),
			{
				displayName: 'Drop Duplicate Deliveries',
				name: 'dropDuplicates',
				type: 'boolean',
				default: true,
				description:
					'Whether to acknowledge a delivery whose ID this trigger already accepted without starting the workflow again. Sitemap.xml retries failed deliveries for up to 72 hours; IDs are remembered for 73 hours (at most 5,000, oldest forgotten first), also across n8n restarts.',
			},
			optionsProperty(),
		],
	};

	methods = signingCredentialMethods;

	webhookMethods = { default: activationCheck(sitemapXmlProvider) };

	webhook = deliveryHandler(sitemapXmlProvider);
}
