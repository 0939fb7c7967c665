import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { ACKNOWLEDGEMENT, acceptedDelivery } from './acceptedResponse';
import { checkWithCurrentCredentials, readCredentials } from './credentialReads';
import { whyTooOld } from './deliveryAge';
import { ALREADY_ACCEPTED, deliveryKey, isDroppedAsDuplicate } from './duplicateDeliveries';
import { verifySignature, type RejectionReason } from './SignatureVerifier';
import type { Envelope, RequestHeaders, TriggerProvider } from './TriggerProvider';
import { acceptsUnsignedDeliveries } from './unsignedDeliveries';

const REJECTED_BODY = { error: 'Webhook delivery rejected' } as const;
const MALFORMED_BODY = { error: 'Webhook payload not understood' } as const;

const REASON_TEXT: Record<RejectionReason, (header: string) => string> = {
	noSecretConfigured: () => 'no signing secret is configured in the credential',
	missingRawBody: () => 'the raw request body was not available to verify',
	missingSignature: (header) => `the ${header} header is missing`,
	repeatedSignature: (header) => `the ${header} header was sent more than once`,
	malformedSignature: (header) => `the ${header} header is not a signature in the expected format`,
	signatureMismatch: (header) => `the ${header} header does not match the body`,
};

export interface TriggerOptions {
	includeHeaders?: boolean;
}

/** Receives one delivery for `provider`: verify, parse, filter, then start the workflow or answer. */
export async function receiveDelivery<TEnvelope extends Envelope>(
	context: IWebhookFunctions,
	provider: TriggerProvider<TEnvelope>,
): Promise<IWebhookResponseData> {
	const log = deliveryLog(context, provider);
	const headers = context.getHeaderData() as RequestHeaders;
	const request = context.getRequestObject() as HostRequest;
	const rawBody = await bodyBytes(request, headers);
	if (rawBody instanceof Error) {
		// n8n's reader says 413 for a body over N8N_PAYLOAD_SIZE_MAX; anything else is a broken request.
		const tooLarge = (rawBody as { status?: unknown }).status === 413;
		log.warn(`refused a delivery: its body could not be read (${tooLarge ? 'larger than n8n accepts' : rawBody.name})`);
		return answer(context, tooLarge ? 413 : 400, MALFORMED_BODY);
	}
	const read = await readCredentials(context, provider.credential.type);
	if (read === undefined) {
		log.warn('refused a delivery: the selected credential could not be read');
		return answer(context, provider.rejectionStatus, REJECTED_BODY);
	}
	const check = await checkWithCurrentCredentials(
		read,
		(credentials) => checkSignature(context, provider, rawBody, headers, credentials),
		(answer) => answer.passed,
	);
	if (!check.passed) {
		log.warn(`refused ${check.refusal}`);
		return answer(context, check.status, check.body);
	}
	if (check.secretIndex > 0) {
		log.info('verified a delivery with the previous secret; remove it once rotation is done');
	}

	const selectedEvents = context.getNodeParameter('events', []) as string[];
	// An empty header names no event: the body's event decides, as when the header is absent.
	const headerEvent = provider.eventHeader ? headers[provider.eventHeader] || undefined : undefined;
	if (typeof headerEvent === 'string' && !selectedEvents.includes(headerEvent)) {
		log.debug(`ignored a "${headerEvent}" delivery: the event is not selected`);
		return answer(context, 200, ACKNOWLEDGEMENT);
	}

	const envelope = parseEnvelope<TEnvelope>(request, rawBody as Buffer, headers, provider);
	if (envelope === undefined) {
		log.warn('refused a verified delivery: the body is not an object with an "event" string');
		return answer(context, 400, MALFORMED_BODY);
	}
	if (headerEvent !== undefined && headerEvent !== envelope.event) {
		log.warn(`refused a verified delivery: the ${provider.eventHeader} header and the body name different events`);
		return answer(context, 400, MALFORMED_BODY);
	}

	const authenticate = provider.authenticate;
	if (authenticate !== undefined) {
		const failure = await checkWithCurrentCredentials(
			read,
			(credentials) => authenticate(envelope, credentials),
			(answer) => answer === undefined,
		);
		if (failure !== undefined) {
			log.warn(`refused a delivery: ${failure}`);
			return answer(context, provider.rejectionStatus, REJECTED_BODY);
		}
	}

	const stale = whyTooOld(context, provider, envelope, Date.now());
	if (stale !== undefined) {
		log.warn(`refused a verified "${envelope.event}" delivery: ${stale}`);
		return answer(context, provider.rejectionStatus, REJECTED_BODY);
	}

	if (!selectedEvents.includes(envelope.event)) {
		log.debug(`ignored a "${envelope.event}" delivery: the event is not selected`);
		return answer(context, 200, ACKNOWLEDGEMENT);
	}
	const filtered = provider.filter?.(context, envelope);
	if (filtered !== undefined) {
		log.debug(`ignored a "${envelope.event}" delivery: ${filtered}`);
		return answer(context, 200, ACKNOWLEDGEMENT);
	}
	// Last, with nothing awaited since the filter: an accepted delivery is recorded in one step.
	if (isDroppedAsDuplicate(context, provider, deliveryKey(provider, envelope, rawBody as Buffer, check.signed ? headers : {}))) {
		log.info(`ignored a "${envelope.event}" delivery: ${ALREADY_ACCEPTED}`);
		return answer(context, 200, ACKNOWLEDGEMENT);
	}

	const item: IDataObject = provider.toItem ? provider.toItem(envelope) : { ...envelope };
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	if (options.includeHeaders === true) {
		item.headers = withoutHeader(headers, provider.signature.header);
	}
	// n8n answers this itself (ACCEPTED_DELIVERY_WEBHOOK): on n8n 2.x only once the execution is
	// recorded, so a 2xx never stands for a delivery that n8n then loses.
	return acceptedDelivery(context, context.helpers.returnJsonArray(item));
}

/** The request as n8n hands it over: the bytes it read, what it parsed, and its body reader. */
interface HostRequest {
	rawBody?: unknown;
	body?: unknown;
	readRawBody?: () => Promise<void>;
}

/**
 * The exact bytes received. n8n reads them before webhook() for a trigger at typeVersion 1, and at
 * later versions only for the media types it parses (JSON, text, form, XML); otherwise the
 * trigger has n8n's own reader read them (with n8n's size limit). A multipart body has been
 * consumed by n8n's form parser and has no bytes left to verify. An Error when the read fails.
 */
async function bodyBytes(request: HostRequest, headers: RequestHeaders): Promise<unknown> {
	if (Buffer.isBuffer(request.rawBody) || typeof request.readRawBody !== 'function') return request.rawBody;
	const contentType = headers['content-type'];
	if (typeof contentType === 'string' && contentType.trim().toLowerCase().startsWith('multipart/')) return request.rawBody;
	try {
		await request.readRawBody();
	} catch (error) {
		return error instanceof Error ? error : new Error(typeof error);
	}
	return request.rawBody;
}

type SignatureCheck =
	| { passed: true; secretIndex: number; signed: boolean }
	| { passed: false; status: number; body: object; refusal: string };

/** Whether the delivery is signed as `credentials` require (or may go unsigned). */
function checkSignature(
	context: IWebhookFunctions,
	provider: TriggerProvider<never>,
	rawBody: unknown,
	headers: RequestHeaders,
	credentials: ICredentialDataDecryptedObject,
): SignatureCheck {
	const secrets = [credentials.webhookSecret, credentials.previousWebhookSecret].filter(
		(secret): secret is string => typeof secret === 'string' && secret !== '',
	);
	if (secrets.length > 0 || !acceptsUnsignedDeliveries(context, provider)) {
		const result = verifySignature(rawBody, headers[provider.signature.header], secrets, provider.signature);
		if (!result.verified) {
			return {
				passed: false,
				status: provider.rejectionStatus,
				body: REJECTED_BODY,
				refusal: `a delivery: ${REASON_TEXT[result.reason](provider.signature.header)}`,
			};
		}
		return { passed: true, secretIndex: result.secretIndex, signed: true };
	}
	if (!Buffer.isBuffer(rawBody)) {
		return { passed: false, status: 400, body: MALFORMED_BODY, refusal: 'an unsigned delivery: the raw request body was not available' };
	}
	return { passed: true, secretIndex: 0, signed: false };
}

function parseEnvelope<TEnvelope extends Envelope>(
	request: { body?: unknown },
	rawBody: Buffer,
	headers: RequestHeaders,
	provider: TriggerProvider<TEnvelope>,
): TEnvelope | undefined {
	let body: unknown;
	try {
		body =
			parsedByHost(request, headers) ??
			(provider.parseBody ? provider.parseBody(rawBody, headers) : JSON.parse(rawBody.toString('utf8')));
	} catch {
		// The parser's message may quote the body, which can hold a key: it is not passed on.
		return undefined;
	}
	const isEnvelope =
		typeof body === 'object' &&
		body !== null &&
		!Array.isArray(body) &&
		typeof (body as { event?: unknown }).event === 'string';
	return isEnvelope ? (body as TEnvelope) : undefined;
}

/**
 * n8n parses an `application/json` body in UTF-8 with JSON.parse over the very bytes just verified
 * (req.rawBody), before webhook() runs. Reusing that object spares parsing a large body twice;
 * any other media type or charset is parsed here, from the raw bytes.
 */
function parsedByHost(request: { body?: unknown }, headers: RequestHeaders): object | undefined {
	const contentType = headers['content-type'];
	if (typeof contentType !== 'string') return undefined;
	const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
	const utf8 = parameters.every((parameter) => !parameter.startsWith('charset=') || parameter === 'charset=utf-8');
	if (mediaType !== 'application/json' || !utf8) return undefined;
	const body = request.body;
	return typeof body === 'object' && body !== null && Object.keys(body).length > 0 ? body : undefined;
}

function withoutHeader(headers: RequestHeaders, name: string): IDataObject {
	const copy: IDataObject = {};
	for (const [key, value] of Object.entries(headers)) {
		if (key !== name && value !== undefined) copy[key] = value;
	}
	return copy;
}

function answer(context: IWebhookFunctions, status: number, body: object): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

function deliveryLog(context: IWebhookFunctions, provider: TriggerProvider<never>) {
	const prefix = `${provider.name} Trigger`;
	const meta = () => ({ node: context.getNode().name, workflowId: context.getWorkflow().id });
	return {
		warn: (message: string) => context.logger.warn(`${prefix} ${message}`, meta()),
		info: (message: string) => context.logger.info(`${prefix} ${message}`, meta()),
		debug: (message: string) => context.logger.debug(`${prefix} ${message}`, meta()),
	};
}

/** The node's `webhook` method for `provider` (n8n calls it with the webhook context as `this`). */
export function deliveryHandler<TEnvelope extends Envelope>(provider: TriggerProvider<TEnvelope>) {
	return async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		try {
			return await receiveDelivery(this, provider);
		} catch (error) {
			// Not expected: answered 500 so the provider retries, logged without the request's content.
			const name = error instanceof Error ? error.name : typeof error;
			this.logger.error(`${provider.name} Trigger could not process a delivery (${name})`, {
				node: this.getNode().name,
			});
			const response = this.getResponseObject();
			if (!response.headersSent) response.status(500).json({ error: 'Webhook delivery not processed' });
			return { noWebhookResponse: true };
		}
	};
}
