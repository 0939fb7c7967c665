import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TriggerProvider } from './TriggerProvider';
import { acceptsUnsignedDeliveries } from './unsignedDeliveries';

/** Every credential field of `provider`'s credential that holds a value to paste, with its label. */
function credentialFields(provider: TriggerProvider<never>) {
	return {
		webhookSecret: { label: 'signing secret', required: true },
		previousWebhookSecret: { label: 'previous signing secret', required: false },
		...provider.credential.fields,
	};
}

/**
 * The credential test: a signing secret cannot be tried against the provider, but a pasted one
 * that gained a space or a line break would fail every delivery, so that is what it looks for,
 * along with the fields every delivery needs.
 */
function signingCredentialTest(provider: TriggerProvider<never>) {
	return async function checkSigningCredential(
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const data = credential.data ?? {};
		const fields = credentialFields(provider);
		for (const [field, { label }] of Object.entries(fields)) {
			const value = data[field];
			if (typeof value === 'string' && value !== value.trim()) {
				return {
					status: 'Error',
					message: `The ${label} (${field}) starts or ends with a space or line break; paste it again without them`,
				};
			}
		}
		const [missing] = missingFields(provider, data);
		if (missing !== undefined) {
			return { status: 'Error', message: `No ${missing.label} is set: every delivery would be refused` };
		}
		return { status: 'OK', message: 'The secret is set and has no stray spaces' };
	};
}

/** The fields every delivery needs that `data` leaves empty. */
function missingFields(provider: TriggerProvider<never>, data: ICredentialDataDecryptedObject) {
	return Object.entries(credentialFields(provider))
		.filter(([field, { required }]) => required && (typeof data[field] !== 'string' || data[field] === ''))
		.map(([, field]) => field);
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
			if (acceptsUnsignedDeliveries(this, provider)) return true;
			let credentials: ICredentialDataDecryptedObject;
			try {
				credentials = await this.getCredentials(provider.credential.type);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Select a ${provider.name} credential with its signing secret`, {
					description: error instanceof Error ? error.message : undefined,
				});
			}
			const [missing] = missingFields(provider, credentials);
			if (missing !== undefined) {
				throw new NodeOperationError(
					this.getNode(),
					`The ${provider.name} credential has no ${missing.label}, so every delivery would be refused`,
				);
			}
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	};
}

/** The node's `methods`: the credential test its credential entry names with `testedBy`. */
export function signingCredentialMethods(provider: TriggerProvider<never>) {
	return { credentialTest: { checkSigningCredential: signingCredentialTest(provider) } };
}
