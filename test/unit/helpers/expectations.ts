import type { IHookFunctions } from 'n8n-workflow';

import type { DeliveryOutcome } from './webhookContext';

export const ACK = { received: true };
export const REJECTED = { error: 'Webhook delivery rejected' };
export const NOT_UNDERSTOOD = { error: 'Webhook payload not understood' };

function expectNothingStarted(outcome: DeliveryOutcome): void {
	expect(outcome.items).toBeUndefined();
	expect(outcome.result.workflowData).toBeUndefined();
}

/** A delivery that starts the workflow with one item, which n8n acknowledges with 200. */
export function expectStarted(outcome: DeliveryOutcome): void {
	expect(outcome.status).toBe(200);
	expect(outcome.responseBody).toEqual(ACK);
	expect(outcome.result.noWebhookResponse).toBeUndefined();
	expect(outcome.items).toHaveLength(1);
}

/** A verified delivery acknowledged with 200 that starts nothing. */
export function expectIgnored(outcome: DeliveryOutcome): void {
	expect(outcome.status).toBe(200);
	expect(outcome.responseBody).toEqual(ACK);
	expectNothingStarted(outcome);
}

/** A refused delivery: `status`, the generic body, nothing started, one warning naming the reason. */
export function expectRefused(outcome: DeliveryOutcome, status: number, trigger: string, reason: string): void {
	expect(outcome.status).toBe(status);
	expect(outcome.responseBody).toEqual(REJECTED);
	expectNothingStarted(outcome);
	const warnings = outcome.logs.filter((line) => line.level === 'warn');
	expect(warnings).toHaveLength(1);
	expect(warnings[0].message.startsWith(`${trigger} Trigger `)).toBe(true);
	expect(warnings[0].message).toContain(reason);
}

/** A verified delivery whose body is not the provider's envelope: 400, nothing started. */
export function expectMalformed(outcome: DeliveryOutcome): void {
	expect(outcome.status).toBe(400);
	expect(outcome.responseBody).toEqual(NOT_UNDERSTOOD);
	expectNothingStarted(outcome);
}

/** The context n8n gives webhookMethods at activation; `null` credentials: none selected. */
export function hookContext(
	credentials: Record<string, unknown> | null,
	parameters: Record<string, unknown> = {},
	nodeName = 'Trigger',
): IHookFunctions {
	return {
		getCredentials: async () => {
			if (credentials === null) throw new Error('Node does not have any credentials set');
			return credentials;
		},
		getNodeParameter: (name: string, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
		getNode: () => ({ name: nodeName }),
	} as unknown as IHookFunctions;
}
