import { createHash } from 'crypto';
import type { IWebhookFunctions } from 'n8n-workflow';

import { writeAgainOnAcknowledgement } from './acceptedResponse';
import { forgetAcceptedInProcess, isDuplicateElseRemember, writeAcceptedAgain } from './acceptedDeliveries';
import { decodeSignature } from './SignatureVerifier';
import type { Envelope, RequestHeaders, TriggerProvider } from './TriggerProvider';

export const ALREADY_ACCEPTED = 'it was already accepted (a retry, a duplicate or a replay)';

/**
 * What identifies a verified delivery: the provider's own delivery id where it gives one;
 * otherwise its signature, an HMAC-SHA256 of the exact bytes received that verification has just
 * computed (so a large body is not hashed twice); for an unsigned delivery, the SHA-256 of its bytes.
 * A byte-identical second delivery is a replay or a retry of the same one. `headers` are those of
 * a verified signature only: an unverified one would let a sender choose the key.
 */
export function deliveryKey<TEnvelope extends Envelope>(
	provider: TriggerProvider<TEnvelope>,
	envelope: TEnvelope,
	rawBody: Buffer,
	headers: RequestHeaders,
): string {
	const id = provider.duplicates.deliveryId?.(envelope);
	if (id !== undefined) return id;
	const header = headers[provider.signature.header];
	const digest = typeof header === 'string' ? decodeSignature(header, provider.signature) : undefined;
	const bytes = digest ?? createHash('sha256').update(rawBody).digest();
	// 128 bits tell deliveries apart as well as 256 here, and keep n8n's saved record small.
	return bytes.subarray(0, 16).toString('base64');
}

/**
 * Whether "Drop Duplicate Deliveries" drops this delivery: true when its key was accepted within
 * the window; otherwise the key is recorded as accepted (kept in the static data once n8n
 * acknowledges the delivery, taken back if n8n answers it with a failure instead). Check and
 * record are one synchronous step.
 */
export function isDroppedAsDuplicate<TEnvelope extends Envelope>(
	context: IWebhookFunctions,
	provider: TriggerProvider<TEnvelope>,
	key: string,
): boolean {
	if (context.getNodeParameter('dropDuplicates', provider.duplicates.dropByDefault) !== true) return false;
	const staticData = context.getWorkflowStaticData('node');
	// A test delivery (Test URL) only sees its own session's static data, which n8n never saves:
	// sending the same sample again starts the workflow again, as it always did.
	if (context.getMode() === 'manual') return isDuplicateElseRemember(staticData, key, Date.now());
	const node = context.getNode();
	const scope = `${context.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
	if (isDuplicateElseRemember(staticData, key, Date.now(), scope)) return true;
	// The key is written, and saved, only once n8n acknowledges the delivery: on n8n 2.x once the
	// execution is recorded (a save made earlier, with another delivery, could outlive a failure).
	writeAgainOnAcknowledgement(context, () => writeAcceptedAgain(staticData, scope, key));
	// n8n answers an accepted delivery once it has recorded the execution; an answer of 300 or
	// more means it did not, and the provider will retry.
	const response = context.getResponseObject();
	response.once('finish', () => {
		if (response.statusCode >= 300) forgetAcceptedInProcess(scope, key);
	});
	return false;
}

/**
 * The replay facts of a provider whose every body carries the signed time it was sent: a genuine
 * body never repeats byte for byte, so dropping duplicates is on by default, and `sentAt` reads
 * that time for Max Delivery Age.
 */
export function timestampedBodies<TEnvelope extends Envelope>(
	sentAt: (envelope: TEnvelope) => unknown,
): Pick<TriggerProvider<TEnvelope>, 'duplicates' | 'sentAt'> {
	return {
		duplicates: {
			dropByDefault: true,
			why: 'On by default: every delivery carries the time it was sent, so a genuine one never repeats byte for byte.',
		},
		sentAt,
	};
}
