import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../shared/credentialChecks';
import { ACCEPTED_DELIVERY_WEBHOOK, EVENTS_SUBTITLE, triggerPanel, triggerProperties } from '../shared/nodeProperties';
import { deliveryHandler } from '../shared/receiveDelivery';
import { sitemapXmlProvider } from './SitemapXmlProvider';

export class SitemapXmlTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sitemap.xml Trigger',
		name: 'sitemapXmlTrigger',
		icon: { light: 'file:sitemapxml.svg', dark: 'file:sitemapxml.dark.svg' },
		group: ['trigger'],
		// At 1, n8n evaluates an expression before every webhook() call (the Webhook node's binaryData
		// option); at 1.1 it evaluates none. Both behave the same otherwise.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow when Sitemap.xml sends a signed webhook delivery, in JSON or XML',
		...triggerPanel(sitemapXmlProvider),
		defaults: { name: 'Sitemap.xml Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sitemapXmlWebhookApi', required: true, testedBy: 'checkSigningCredential' }],
		webhooks: [ACCEPTED_DELIVERY_WEBHOOK],
		properties: triggerProperties(sitemapXmlProvider),
	};

	methods = signingCredentialMethods(sitemapXmlProvider);

	webhookMethods = { default: activationCheck(sitemapXmlProvider) };

	webhook = deliveryHandler(sitemapXmlProvider);
}
