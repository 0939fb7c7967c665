import type { INodeProperties } from 'n8n-workflow';

/**
 * The fields of every signing-secret credential: the secret in use and, while rotating,
 * the one it replaces. Deliveries signed with either are accepted.
 */
export function signingSecretProperties(
	label: string,
	whereToFindIt: string,
	{ required = true }: { required?: boolean } = {},
): INodeProperties[] {
	return [
		{
			displayName: label,
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			required,
			default: '',
			description: whereToFindIt,
		},
		{
			displayName: `Previous ${label}`,
			name: 'previousWebhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while rotating: the secret being replaced. Deliveries signed with either secret are accepted; clear this once the provider signs with the new one.',
		},
	];
}
