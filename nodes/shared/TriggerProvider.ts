import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeProperties,
	INodePropertyOptions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { SignatureScheme } from './SignatureVerifier';

/** Request headers as Node.js presents them: lower-case names, repeated ones joined. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** What every provider's delivery has in common once parsed: a JSON object naming its event. */
export type Envelope = IDataObject & { event: string };

/** One event a trigger can start on, as its Events list shows it. */
export interface EventOption extends INodePropertyOptions {
	value: string;
	description: string;
}

/**
 * Everything about one provider, in its own folder: how it signs, what its credential holds, its
 * events, its filters, what the workflow receives. The shared delivery pipeline reads these facts;
 * a new provider is a new value of this type (and its node and credential), not new mechanism.
 */
export interface TriggerProvider<TEnvelope extends Envelope = Envelope> {
	/** The provider's name as its users know it; log lines and panel texts use it. */
	name: string;
	/** Where in the provider's own settings the webhook URL goes and where the secret comes from. */
	setup: string;
	credential: {
		/** The credential type holding `webhookSecret` and, during rotation, `previousWebhookSecret`. */
		type: string;
		/** The provider's own credential fields beside the secrets, with the label users see. */
		fields?: Readonly<Record<string, { label: string; required: boolean }>>;
	};
	signature: SignatureScheme;
	/** Status answered to a delivery that is not verified. */
	rejectionStatus: 400 | 401;
	events: readonly EventOption[];
	/** Header naming the event, so an unselected event is acknowledged without parsing its body. */
	eventHeader?: string;
	/**
	 * The provider may send deliveries with no signature at all (when its secret is optional).
	 * Such deliveries are still refused unless the node's "Accept Unsigned Deliveries" is on and the
	 * credential holds no secret.
	 */
	mayBeUnsigned?: boolean;
	/** Turns verified bytes into a value; JSON when absent. Throws when the bytes are not a body. */
	parseBody?: (rawBody: Buffer, headers: RequestHeaders) => unknown;
	/** A check beyond the signature that the parsed delivery must pass; answers why it fails. */
	authenticate?: (envelope: TEnvelope, credentials: ICredentialDataDecryptedObject) => string | undefined;
	/** Replays: how a repeated delivery is recognised and whether dropping it is on by default. */
	duplicates: {
		/** Whether "Drop Duplicate Deliveries" starts on: off where a genuine body may repeat. */
		dropByDefault: boolean;
		/** Why the default is what it is, shown under the option. */
		why: string;
		/** The provider's own id of a delivery; without one, the verified bytes identify it. */
		deliveryId?: (envelope: TEnvelope) => string | undefined;
		/** How long the provider may send the same delivery again, in hours (its retry window). */
		retriesForHours?: number;
	};
	/** The signed time the provider sent the delivery at, for "Max Delivery Age"; none when absent. */
	sentAt?: (envelope: TEnvelope) => unknown;
	/** The provider's own filter parameters, shown after Events. */
	filterProperties?: INodeProperties[];
	/** The provider's own entries of the Options collection. */
	options?: INodeProperties[];
	/** Why a verified delivery of a selected event starts nothing (the filters), or undefined. */
	filter?: (context: IWebhookFunctions, envelope: TEnvelope) => string | undefined;
	/** The item's JSON; the envelope itself when absent. */
	toItem?: (envelope: TEnvelope) => IDataObject;
}
