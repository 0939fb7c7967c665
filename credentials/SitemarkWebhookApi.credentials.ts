import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { signingSecretProperties } from '../nodes/shared/credentialProperties';

export class SitemarkWebhookApi implements ICredentialType {
	name = 'sitemarkWebhookApi';

	displayName = 'Sitemark Webhook API';

	icon: Icon = { light: 'file:../nodes/Sitemark/sitemark.svg', dark: 'file:../nodes/Sitemark/sitemark.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-site-webhooks#sitemark';

	properties: INodeProperties[] = signingSecretProperties(
		'Webhook Secret',
		'The secret shown with your webhook endpoint in Sitemark’s account settings',
	);
}
