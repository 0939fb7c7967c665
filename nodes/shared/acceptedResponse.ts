import type { IWebhookFunctions, IWebhookResponseData, INodeExecutionData } from 'n8n-workflow';

/** What every accepted or ignored delivery gets back. */
export const ACKNOWLEDGEMENT = { received: true } as const;

/** Static-data writes to make again when n8n collects the acknowledgement of a delivery. */
const writesOnAcknowledgement = new WeakMap<IWebhookFunctions, Array<() => void>>();

/**
 * Has `write` made again when n8n collects this delivery's acknowledgement. It must be idempotent.
 *
 * n8n saves the static data a trigger changed in `webhook()` only if it still counts as changed
 * when the answer is about to be sent. n8n 2.x answers after recording the execution, and
 * recording it builds a second workflow over the same static data, which marks it unchanged:
 * a write made in `webhook()` itself would then never be saved (the first id ever excepted).
 * n8n reads the acknowledgement after recording and right before that save, so a write made
 * again at that moment is saved, by the process that received the delivery (the main process,
 * or a webhook process in queue mode). n8n 1.x answers, and saves, before recording: the write
 * made in `webhook()` is saved there already, and making it again changes nothing.
 */
export function writeAgainOnAcknowledgement(context: IWebhookFunctions, write: () => void): void {
	const writes = writesOnAcknowledgement.get(context) ?? [];
	writes.push(write);
	writesOnAcknowledgement.set(context, writes);
}

/** The result that starts the workflow with `items`; n8n sends the acknowledgement itself. */
export function acceptedDelivery(context: IWebhookFunctions, items: INodeExecutionData[]): IWebhookResponseData {
	const writes = writesOnAcknowledgement.get(context);
	writesOnAcknowledgement.delete(context);
	if (writes === undefined) return { workflowData: [items], webhookResponse: ACKNOWLEDGEMENT };
	const result: IWebhookResponseData = { workflowData: [items] };
	Object.defineProperty(result, 'webhookResponse', {
		enumerable: true,
		get: () => {
			// n8n may read it more than once (also before recording): every read writes again.
			for (const write of writes) write();
			return ACKNOWLEDGEMENT;
		},
	});
	return result;
}
