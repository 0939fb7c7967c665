/** Building blocks for end-to-end tests of this package's trigger nodes. */
import { randomUUID } from 'node:crypto';

import type { WorkflowDefinition } from './n8n';

export const PACKAGE_NAME = 'n8n-nodes-site-webhooks';

/** n8n's name for a node type of this package: `<package name>.<node name>`. */
export function nodeType(nodeName: string): string {
	return `${PACKAGE_NAME}.${nodeName}`;
}

export interface TriggerWorkflowOptions {
	/** Node name without the package prefix, e.g. `sitemarkTrigger`. */
	node: string;
	/** Display name of the trigger node in the workflow (default "Trigger"). */
	triggerName?: string;
	credentialType: string;
	/** The credential the trigger uses; `null` leaves the trigger without one (optional credentials). */
	credential: { id: string; name: string } | null;
	parameters?: Record<string, unknown>;
	webhookId?: string;
	name?: string;
	/** The trigger's typeVersion: by default the one the editor adds, TRIGGER_TYPE_VERSION. */
	typeVersion?: number;
}

/** The typeVersion n8n's editor gives a newly added trigger of this package (its defaultVersion). */
export const TRIGGER_TYPE_VERSION = 1.1;

export interface TriggerWorkflow {
	workflow: WorkflowDefinition;
	webhookId: string;
	triggerName: string;
}

/** A workflow of one trigger node of this package followed by a No Op node. */
export function triggerWorkflow(options: TriggerWorkflowOptions): TriggerWorkflow {
	const webhookId = options.webhookId ?? randomUUID();
	const triggerName = options.triggerName ?? 'Trigger';
	const workflow: WorkflowDefinition = {
		name: options.name ?? `e2e ${options.node} ${webhookId.slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: triggerName,
				type: nodeType(options.node),
				typeVersion: options.typeVersion ?? TRIGGER_TYPE_VERSION,
				position: [0, 0],
				webhookId,
				parameters: options.parameters ?? {},
				...(options.credential === null
					? {}
					: { credentials: { [options.credentialType]: options.credential } }),
			},
			{
				id: randomUUID(),
				name: 'No Op',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [triggerName]: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	return { workflow, webhookId, triggerName };
}
