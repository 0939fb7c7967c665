import type { IWebhookFunctions } from 'n8n-workflow';

import type { Envelope, TriggerProvider } from './TriggerProvider';

/** How far ahead of this server's clock a delivery's timestamp may be (clocks are never exact). */
export const FUTURE_SKEW_SECONDS = 60;

/**
 * Why "Max Delivery Age" refuses a verified delivery, or undefined when the option is off or the
 * delivery's signed timestamp is within it. With the option on, a delivery without a readable
 * timestamp is refused too: it could be of any age.
 */
export function whyTooOld<TEnvelope extends Envelope>(
	context: IWebhookFunctions,
	provider: TriggerProvider<TEnvelope>,
	envelope: TEnvelope,
	now: number,
): string | undefined {
	if (provider.sentAt === undefined) return undefined;
	const options = context.getNodeParameter('options', {}) as { maxDeliveryAgeMinutes?: unknown };
	const limit = options.maxDeliveryAgeMinutes;
	if (typeof limit !== 'number' || !(limit > 0)) return undefined;
	const sentAt = timeOf(provider.sentAt(envelope));
	if (sentAt === undefined) return 'it carries no readable timestamp and Max Delivery Age is set';
	const ageSeconds = Math.round((now - sentAt) / 1000);
	if (ageSeconds > limit * 60) {
		return `its timestamp is ${ageSeconds} seconds old, more than Max Delivery Age (${limit} minutes)`;
	}
	if (-ageSeconds > FUTURE_SKEW_SECONDS) {
		return `its timestamp is ${-ageSeconds} seconds in the future, more than the ${FUTURE_SKEW_SECONDS} seconds clocks may differ by`;
	}
	return undefined;
}

/** Milliseconds since the epoch of an ISO 8601 date and time with its time zone; else undefined. */
function timeOf(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	// Date.parse reads a time without a zone as local time: such a value is not trusted.
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
	const time = Date.parse(value);
	return Number.isNaN(time) ? undefined : time;
}
