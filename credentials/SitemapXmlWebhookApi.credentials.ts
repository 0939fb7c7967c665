import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { signingSecretProperties } from '../nodes/shared/credentialProperties';

export class SitemapXmlWebhookApi implements ICredentialType {
	name = 'sitemapXmlWebhookApi';

	displayName = 'Sitemap.xml Webhook API';

	icon: Icon = {
		light: 'file:../nodes/SitemapXml/sitemapxml.svg',
		dark: 'file:../nodes/SitemapXml/sitemapxml.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-site-webhooks#sitemapxml';

	properties: INodeProperties[] = signingSecretProperties(
		'Signing Secret',
		'The secret key set with your webhook endpoint in Sitemap.xml',
	);
}
