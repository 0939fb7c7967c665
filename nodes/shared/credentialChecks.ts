import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TriggerProvider } from './TriggerProvider';

const SECRET_FIELDS = ['webhookSecret', 'previousWebhookSecret', 'apiKey'] as const;

/**
 * The credential test: a signing secret cannot be tried against the provider, but a pasted one
 * that gained a space or a line break would fail every delivery, so that is what it looks for.
 */
export async function checkSigningCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	for (const field of SECRET_FIELDS) {
		const value = data[field];
		if (typeof value === 'string' && value !== value.trim()) {
			return {
				status: 'Error',
				message: `The ${field} value starts or ends with a space or line break; paste it again without them`,
			};
		}
	}
	if (typeof data.webhookSecret !== 'string' || data.webhookSecret === '') {
		return { status: 'Error', message: 'No secret is set: every delivery would be refused' };
	}
	// Only a credential type with an API key field has the key at all, even when empty.
	if ('apiKey' in data && (typeof data.apiKey !== 'string' || data.apiKey === '')) {
		return { status: 'Error', message: 'No API key is set: every delivery would be refused' };
	}
	return { status: 'OK', message: 'The secret is set and has no stray spaces' };
}

/**
 * The webhook lifecycle. Each provider takes its URL pasted by hand, so there is nothing to
 * register remotely; activation instead fails early and clearly when no secret is configured.
 */
export function activationCheck(provider: TriggerProvider<never>) {
	return {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return false;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			const acceptsUnsigned =
				provider.mayBeUnsigned === true &&
				this.getNodeParameter('acceptUnsignedDeliveries', false) === true;
			if (acceptsUnsigned) return true;
			let credentials: ICredentialDataDecryptedObject;
			try {
				credentials = await this.getCredentials(provider.credentialType);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Select a ${provider.name} credential with its signing secret`, {
					description: error instanceof Error ? error.message : undefined,
				});
			}
			const required = { webhookSecret: 'signing secret', ...provider.requiredCredentialFields };
			for (const [field, label] of Object.entries(required)) {
				const value = credentials[field];
				if (typeof value !== 'string' || value === '') {
					throw new NodeOperationError(
						this.getNode(),
						`The ${provider.name} credential has no ${label}, so every delivery would be refused`,
					);
				}
			}
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	};
}

/** The node's `methods`: the credential test its credential entry names with `testedBy`. */
export const signingCredentialMethods = { credentialTest: { checkSigningCredential } };
