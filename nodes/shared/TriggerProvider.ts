import type { ICredentialDataDecryptedObject, IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { SignatureScheme } from './SignatureVerifier';

/** Request headers as Node.js presents them: lower-case names, repeated ones joined. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** What every provider's delivery has in common once parsed: a JSON object naming its event. */
export type Envelope = IDataObject & { event: string };

/**
 * Everything the shared delivery handler needs to know about one provider.
 * A new provider is a new value of this type and a node file, not new verification code.
 */
export interface TriggerProvider<TEnvelope extends Envelope = Envelope> {
	/** The provider's name as its users know it; log lines start with it. */
	name: string;
	/** The credential type holding `webhookSecret` and, during rotation, `previousWebhookSecret`. */
	credentialType: string;
	signature: SignatureScheme;
	/** Credential fields besides the secret that must be set, by name, with the label users see. */
	requiredCredentialFields?: Readonly<Record<string, string>>;
	/** Status answered to a delivery that is not verified. */
	rejectionStatus: 400 | 401;
	/** Header naming the event, so an unselected event is acknowledged without parsing its body. */
	eventHeader?: string;
	/**
	 * The provider may send deliveries with no signature at all (when its secret is optional).
	 * Such deliveries are still refused unless the node's `acceptUnsignedDeliveries` is on
	 * and the credential holds no secret.
	 */
	mayBeUnsigned?: boolean;
	/** Turns verified bytes into a value; JSON when absent. Throws when the bytes are not a body. */
	parseBody?: (rawBody: Buffer, headers: RequestHeaders) => unknown;
	/** A check beyond the signature that the parsed delivery must pass; answers why it fails. */
	authenticate?: (envelope: TEnvelope, credentials: ICredentialDataDecryptedObject) => string | undefined;
	/**
	 * Why a verified delivery of a selected event starts nothing (the node's filters), or undefined
	 * to start the workflow. It runs last, so it may record the delivery as accepted.
	 */
	whyIgnored?: (context: IWebhookFunctions, envelope: TEnvelope) => string | undefined;
	/** The item's JSON; the envelope itself when absent. */
	toItem?: (envelope: TEnvelope) => IDataObject;
}
