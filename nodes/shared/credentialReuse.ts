import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * n8n 2.x decrypts a credential for a webhook call inside a fresh expression isolate, which costs
 * more CPU than the whole execution the delivery then starts (measured in BENCHMARKS.md). So the
 * triggers reuse a credential they read for a few seconds, per credential and n8n process. A
 * delivery that the reused data refuses reads the credential again at once (at most once a second
 * per credential), so a secret saved in n8n counts from the next delivery; a secret removed from
 * the credential stops counting within CREDENTIAL_REUSE_MS.
 */
export const CREDENTIAL_REUSE_MS = 5000;
export const CREDENTIAL_REREAD_INTERVAL_MS = 1000;
const MAX_REUSED_CREDENTIALS = 1000;

interface ReadCredential {
	data: Promise<ICredentialDataDecryptedObject>;
	readAt: number;
}

const reused = new Map<string, ReadCredential>();

export interface CredentialRead {
	data: ICredentialDataDecryptedObject;
	/** Read earlier and reused: `reread()` may then give newer data. */
	reusedFrom?: string;
}

/** Which credential the node has selected, as a key; undefined when none is (nothing is reused). */
function credentialKey(context: IWebhookFunctions, credentialType: string): string | undefined {
	const id = context.getNode().credentials?.[credentialType]?.id;
	return id ? `${credentialType}:${id}` : undefined;
}

/** The selected credential's data, read now or within CREDENTIAL_REUSE_MS. Throws as n8n does. */
export async function readCredential(context: IWebhookFunctions, credentialType: string): Promise<CredentialRead> {
	const key = credentialKey(context, credentialType);
	if (key === undefined) return { data: await context.getCredentials(credentialType) };
	const now = Date.now();
	const known = reused.get(key);
	if (known !== undefined && now - known.readAt < CREDENTIAL_REUSE_MS) {
		return { data: await known.data, reusedFrom: key };
	}
	return { data: await readAnew(context, credentialType, key, now) };
}

/**
 * Reads a reused credential again when the last read is at least CREDENTIAL_REREAD_INTERVAL_MS
 * old; undefined when it is newer (the data just used is current).
 */
export async function rereadCredential(
	context: IWebhookFunctions,
	credentialType: string,
	read: CredentialRead,
): Promise<ICredentialDataDecryptedObject | undefined> {
	if (read.reusedFrom === undefined) return undefined;
	const now = Date.now();
	const known = reused.get(read.reusedFrom);
	if (known !== undefined && now - known.readAt < CREDENTIAL_REREAD_INTERVAL_MS) return undefined;
	return await readAnew(context, credentialType, read.reusedFrom, now);
}

async function readAnew(context: IWebhookFunctions, credentialType: string, key: string, now: number) {
	// Deliveries arriving together share one read; a failed read is not kept.
	const data = context.getCredentials<ICredentialDataDecryptedObject>(credentialType);
	reused.delete(key);
	reused.set(key, { data, readAt: now });
	if (reused.size > MAX_REUSED_CREDENTIALS) reused.delete(reused.keys().next().value as string);
	data.catch(() => {
		if (reused.get(key)?.data === data) reused.delete(key);
	});
	return await data;
}
