import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { signingSecretProperties } from '../nodes/shared/credentialProperties';

export class ContentsPalWebhookApi implements ICredentialType {
	name = 'contentsPalWebhookApi';

	displayName = 'ContentsPal Webhook API';

	icon: Icon = {
		light: 'file:../nodes/ContentsPal/contentspal.svg',
		dark: 'file:../nodes/ContentsPal/contentspal.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-site-webhooks#contentspal';

	properties: INodeProperties[] = signingSecretProperties(
		'Signing Secret',
		'The Signing Secret an organization admin sets in ContentsPal under Organization > Integrations',
	);
}
