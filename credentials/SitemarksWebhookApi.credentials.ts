import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { signingSecretProperties } from '../nodes/shared/credentialProperties';

export class SitemarksWebhookApi implements ICredentialType {
	name = 'sitemarksWebhookApi';

	displayName = 'Sitemarks Webhook API';

	icon: Icon = { light: 'file:../nodes/Sitemarks/sitemarks.svg', dark: 'file:../nodes/Sitemarks/sitemarks.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-site-webhooks#sitemarks';

	properties: INodeProperties[] = signingSecretProperties(
		'Signing Secret',
		'Generated when you create the webhook; shown in its detail view under Settings > Integrations',
	);
}
