import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { signingSecretProperties } from '../nodes/shared/credentialProperties';

export class SiteCaptureWebhookApi implements ICredentialType {
	name = 'siteCaptureWebhookApi';

	displayName = 'SiteCapture Webhook API';

	icon: Icon = {
		light: 'file:../nodes/SiteCapture/sitecapture.svg',
		dark: 'file:../nodes/SiteCapture/sitecapture.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-site-webhooks#sitecapture';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your SiteCapture API key: every delivery carries it in its body, and it must match',
		},
		...signingSecretProperties(
			'HMAC Shared Secret',
			'Shown in the webhook configuration screen of the SiteCapture Webhook on Project Status Event integration',
		),
	];
}
