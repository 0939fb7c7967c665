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

interface ReusedRead {
	data: Promise<ICredentialDataDecryptedObject>;
	readAt: number;
}

const reused = new Map<string, ReusedRead>();

/** A credential's data as read for one delivery. */
export interface CredentialRead {
	data: ICredentialDataDecryptedObject;
	/**
	 * Newer data when `data` was reused from an earlier delivery and its read is at least
	 * CREDENTIAL_REREAD_INTERVAL_MS old; undefined when there is none (or it cannot be read now).
	 */
	reread(): Promise<ICredentialDataDecryptedObject | undefined>;
}

const NOTHING_NEWER = async () => undefined;

/**
 * The selected credential's data, read now or within CREDENTIAL_REUSE_MS; empty when the node has
 * none selected. Undefined when a selected credential cannot be read: that must never count as
 * "no secret configured".
 */
export async function readCredentials(context: IWebhookFunctions, credentialType: string): Promise<CredentialRead | undefined> {
	// getNode() copies the node: read the selection once.
	const selected = context.getNode().credentials?.[credentialType];
	// Keyed by credential id; a node with none selected reuses nothing.
	const key = selected?.id ? `${credentialType}:${selected.id}` : undefined;
	try {
		if (key === undefined) return { data: await context.getCredentials(credentialType), reread: NOTHING_NEWER };
		const now = Date.now();
		const known = reused.get(key);
		if (known !== undefined && now - known.readAt < CREDENTIAL_REUSE_MS) {
			return { data: await known.data, reread: () => rereadReused(context, credentialType, key) };
		}
		return { data: await readAnew(context, credentialType, key, now), reread: NOTHING_NEWER };
	} catch {
		return selected !== undefined ? undefined : { data: {}, reread: NOTHING_NEWER };
	}
}

async function rereadReused(context: IWebhookFunctions, credentialType: string, key: string) {
	const now = Date.now();
	const known = reused.get(key);
	if (known !== undefined && now - known.readAt < CREDENTIAL_REREAD_INTERVAL_MS) return undefined;
	try {
		return await readAnew(context, credentialType, key, now);
	} catch {
		return undefined;
	}
}

/**
 * The first answer of `check` that `passes`, trying the data read, then newer data if the
 * credential was reused: a secret just saved in n8n counts from the next delivery.
 */
export async function checkWithCurrentCredentials<T>(
	read: CredentialRead,
	check: (credentials: ICredentialDataDecryptedObject) => T,
	passes: (answer: T) => boolean,
): Promise<T> {
	const answer = check(read.data);
	if (passes(answer)) return answer;
	const newer = await read.reread();
	return newer === undefined ? answer : check(newer);
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
