import { randomUUID } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

export interface LogLine {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: unknown;
}

export interface DeliverySetup {
	/** The raw bytes sent. */
	body: string | Buffer;
	headers?: Record<string, string | string[]>;
	/** Node parameters (`events`, `options`, ...); events default to every option of the node. */
	parameters?: Record<string, unknown>;
	/** Credential data; `null`: no credential is selected; `'unreadable'`: one is selected but cannot be read. */
	credentials?: Record<string, unknown> | null | 'unreadable';
	/** The workflow's static data for the node, kept between deliveries when the same object is passed. */
	staticData?: IDataObject;
	/** What the host put in `req.body`; by default the JSON parse of `body`, as n8n does for JSON. */
	hostParsedBody?: unknown;
	/** Leave `req.rawBody` out, as a host that does not keep the raw bytes would. */
	withoutRawBody?: boolean;
	/**
	 * The host has not read the body yet but offers its reader (`req.readRawBody`), as n8n does for
	 * a trigger above typeVersion 1 and a media type it does not parse; `'fails'`: the reader throws
	 * `readError`.
	 */
	bodyReadOnRequest?: true | 'fails';
	readError?: Error;
	/** Called when the node asks the host to read the body. */
	onBodyRead?: () => void;
	/** The selected credential's id; deliveries naming the same id may reuse its data. */
	credentialId?: string;
	/** Called whenever the node reads the credential from n8n. */
	onCredentialsRead?: () => void;
	/** n8n fails to record the execution of a delivery that starts the workflow, and answers 500. */
	hostFails?: boolean;
	/** n8n's execution mode: 'webhook' (production URL, the default) or 'manual' (test URL). */
	mode?: 'webhook' | 'manual';
	/**
	 * The workflow the delivery goes to; by default one per `staticData` object. Passing the same
	 * workflow with separate static data objects models n8n handling deliveries at once, each
	 * with its own copy of the stored static data.
	 */
	workflowId?: string;
}

export interface DeliveryOutcome {
	result: IWebhookResponseData;
	status: number | undefined;
	responseBody: unknown;
	/** The items that start the workflow, or undefined when nothing starts. */
	items: IDataObject[] | undefined;
	logs: LogLine[];
}

const NODES = join(__dirname, '..', '..', '..', 'nodes');

/** The exact bytes of a documented sample in nodes/<Provider>/samples/ (`provider` in any case). */
export function fixture(provider: string, file: string): Buffer {
	const folder = readdirSync(NODES).find((name) => name.toLowerCase() === provider.toLowerCase());
	if (folder === undefined) throw new Error(`no provider folder nodes/${provider}`);
	return readFileSync(join(NODES, folder, 'samples', file));
}

/**
 * Runs `node.webhook()` with a context that behaves like n8n's for one request, and records
 * the response it writes, the items it returns and every log line.
 */
export async function deliver(node: INodeType, setup: DeliverySetup): Promise<DeliveryOutcome> {
	const logs: LogLine[] = [];
	let status: number | undefined;
	let responseBody: unknown;
	const body = Buffer.isBuffer(setup.body) ? setup.body : Buffer.from(setup.body, 'utf8');
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(setup.headers ?? {})) headers[name.toLowerCase()] = value;

	const eventsProperty = node.description.properties.find((property) => property.name === 'events');
	const defaults: Record<string, unknown> = { events: eventsProperty?.default ?? [], options: {} };
	const parameters = { ...defaults, ...setup.parameters };
	const staticData = setup.staticData ?? {};
	// A credential of its own for every delivery, unless the test says which: n8n's data is reused per credential.
	const credentialId = setup.credentialId ?? `credential-${randomUUID()}`;

	const finishListeners: Array<() => void> = [];
	const response = {
		statusCode: 200,
		once(event: string, listener: () => void) {
			if (event === 'finish') finishListeners.push(listener);
			return response;
		},
		status(code: number) {
			status = code;
			response.statusCode = code;
			return response;
		},
		json(payload: unknown) {
			responseBody = payload;
			return response;
		},
		send(payload: unknown) {
			responseBody = payload;
			return response;
		},
		end() {
			return response;
		},
	};
	const record = (level: LogLine['level']) => (message: string, meta?: unknown) => {
		logs.push({ level, message, meta });
	};

	const request: Record<string, unknown> = {
		headers,
		body: 'hostParsedBody' in setup ? setup.hostParsedBody : safeJson(body),
		...(setup.withoutRawBody || setup.bodyReadOnRequest ? {} : { rawBody: body }),
		...(setup.bodyReadOnRequest
			? {
					readRawBody: async () => {
						setup.onBodyRead?.();
						if (setup.bodyReadOnRequest === 'fails') throw setup.readError ?? new Error('aborted');
						request.rawBody = body;
					},
				}
			: {}),
	};
	const context = {
		getHeaderData: () => headers,
		getRequestObject: () => request,
		getResponseObject: () => response,
		getBodyData: () => safeJson(body),
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getCredentials: async () => {
			setup.onCredentialsRead?.();
			if (setup.credentials === null || setup.credentials === undefined) {
				throw new Error('Node does not have any credentials set');
			}
			if (setup.credentials === 'unreadable') throw new Error('Credentials could not be decrypted');
			return setup.credentials;
		},
		getWorkflowStaticData: () => staticData,
		getNode: () => ({
			id: 'node-1',
			name: node.description.defaults.name,
			type: node.description.name,
			credentials:
				setup.credentials === null || setup.credentials === undefined
					? {}
					: Object.fromEntries(
							(node.description.credentials ?? []).map((c) => [c.name, { id: credentialId, name: 'Test' }]),
						),
		}),
		getWorkflow: () => ({ id: setup.workflowId ?? workflowIdOf(staticData), name: 'Test workflow', active: true }),
		getMode: () => setup.mode ?? 'webhook',
		logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
		helpers: {
			returnJsonArray: (data: IDataObject | IDataObject[]): INodeExecutionData[] =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	} as unknown as IWebhookFunctions;

	const result = await node.webhook!.call(context);
	const items = result.workflowData?.[0]?.map((item) => item.json);
	if (result.workflowData !== undefined) {
		// n8n answers a delivery that starts the workflow; a node answering too would fail there.
		if (status !== undefined || result.noWebhookResponse === true) {
			throw new Error('the node answered a delivery that also starts the workflow');
		}
		({ status, responseBody } = setup.hostFails
			? { status: 500, responseBody: { message: 'There was a problem executing the workflow' } }
			: hostAnswer(node, result));
		response.statusCode = status;
	}
	if (status !== undefined) for (const listener of finishListeners) listener();
	return { result, status, responseBody, items, logs };
}

/**
 * What n8n answers when webhook() starts the workflow and leaves the answer to it: for
 * `responseMode: 'onReceived'`, 200 with the description's `responseData` (the text
 * "firstEntryJson" when it declares none), else with the node's `webhookResponse`.
 */
function hostAnswer(node: INodeType, result: IWebhookResponseData): { status: number; responseBody: unknown } {
	const description = node.description.webhooks?.find((webhook) => webhook.name === 'default');
	if (description?.responseMode !== 'onReceived') {
		throw new Error(`the test context only models responseMode "onReceived", not "${String(description?.responseMode)}"`);
	}
	const responseData = description.responseData ?? 'firstEntryJson';
	if (responseData === 'noData') return { status: 200, responseBody: undefined };
	if (responseData) return { status: 200, responseBody: responseData };
	return { status: 200, responseBody: result.webhookResponse ?? { message: 'Workflow was started' } };
}

/** One workflow per static data object: deliveries that share it are deliveries to one workflow. */
const workflowIds = new WeakMap<IDataObject, string>();
function workflowIdOf(staticData: IDataObject): string {
	let id = workflowIds.get(staticData);
	if (id === undefined) {
		id = `workflow-${randomUUID()}`;
		workflowIds.set(staticData, id);
	}
	return id;
}

function safeJson(body: Buffer): unknown {
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		return {};
	}
}
