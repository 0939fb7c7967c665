import type { IHookFunctions, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import type { TriggerProvider } from './TriggerProvider';

/**
 * Deliveries without a signature, for a provider that sends none when no secret is set in it.
 * They are accepted only when the node's "Accept Unsigned Deliveries" is on and the credential
 * holds no secret; with a secret, every delivery must be signed whatever the option says.
 */
export function acceptsUnsignedDeliveries(
	context: IWebhookFunctions | IHookFunctions,
	provider: TriggerProvider<never>,
): boolean {
	return provider.mayBeUnsigned === true && context.getNodeParameter('acceptUnsignedDeliveries', false) === true;
}

/** The option, and the warning shown while it is on. */
export function unsignedDeliveryProperties(providerName: string): INodeProperties[] {
	return [
		{
			displayName: 'Accept Unsigned Deliveries',
			name: 'acceptUnsignedDeliveries',
			type: 'boolean',
			default: false,
			description: `Whether to start the workflow for deliveries without a signature when the credential has no signing secret. Anyone who finds this URL could then start the workflow with data of their choosing. Setting a Signing Secret in ${providerName} is safer; with a secret in the credential, every delivery must be signed whatever this says.`,
		},
		{
			displayName: `Unsigned deliveries are accepted: anyone who learns this webhook URL can start the workflow. Set a Signing Secret in ${providerName} and in the credential to close it.`,
			name: 'unsignedWarning',
			type: 'notice',
			default: '',
			displayOptions: { show: { acceptUnsignedDeliveries: [true] } },
		},
	];
}
