/**
 * Bench-only preload for the n8n process (`NODE_OPTIONS=--require <this file>`): counts, per n8n
 * process, the expression isolates n8n creates and hands out, the expressions it evaluates, the
 * credentials it decrypts and the production webhook requests it receives, each acquisition with
 * the n8n code that asked for it. Never loaded by tests or by the package.
 *
 *   BENCH_ISOLATE_COUNTS_DIR   where to write `<pid>.json` (rewritten at most every 100 ms after a
 *                              change; nothing is written by a process that counted nothing)
 *   BENCH_N8N_PATCH            `static-trigger`: try the change proposed in
 *                              docs/n8n-static-trigger-proposal.md, in memory only (the installed
 *                              files are not touched). Anything else: n8n as installed.
 *
 * What is counted (all from n8n 2.x's own functions, wrapped, their behaviour unchanged unless
 * BENCH_N8N_PATCH is set):
 *   isolatesCreated   IsolatedVmBridge.initialize / initializeSync: a V8 isolate built (the pool
 *                     builds one ahead after every hand-out, so this follows bridgesTaken)
 *   bridgesTaken      an isolate handed to a caller: ExpressionEvaluator.acquire (eager engine)
 *                     or acquireBridgeSync (lazy engine, at the first evaluation of a scope)
 *   scopesOpened      ExpressionEvaluator.acquire calls that opened a scope (lazy: no isolate yet)
 *   evaluations       Expression.renderExpression: an expression evaluated (every engine)
 *   credentialReads   CredentialsHelper.getDecrypted
 *   webhookRequests   LiveWebhooks.executeWebhook (production webhook requests)
 * and `sites`: for bridgesTaken, scopesOpened and evaluations, which n8n function asked.
 */
'use strict';

const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const OUT_DIR = process.env.BENCH_ISOLATE_COUNTS_DIR;
const PATCH = process.env.BENCH_N8N_PATCH ?? '';

const counts = {
	isolatesCreated: 0,
	bridgesTaken: 0,
	scopesOpened: 0,
	evaluations: 0,
	credentialReads: 0,
	webhookRequests: 0,
	/** patched mode only: values read without the engine that n8n as installed evaluates */
	nativeReads: 0,
	/** `kind <- site` → count */
	sites: {},
	/** `expression <- site` → count (the expression text, shortened) */
	expressions: {},
};

let dirty = false;
let timer;

function flush() {
	timer = undefined;
	if (!OUT_DIR || !dirty) return;
	dirty = false;
	const file = path.join(OUT_DIR, `${process.pid}.json`);
	try {
		fs.mkdirSync(OUT_DIR, { recursive: true });
		fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, patch: PATCH, ...counts }));
		fs.renameSync(`${file}.tmp`, file);
	} catch {
		// the bench reads what it finds
	}
}

function changed() {
	dirty = true;
	timer ??= setTimeout(flush, 100);
	timer.unref?.();
}
process.on('exit', flush);

/**
 * Frames that are the expression machinery itself, not who asked for it. n8n runs with source
 * maps, so frames may name the TypeScript sources (`n8n-workflow/src/expression.ts`).
 */
const MACHINERY = [
	/\/expression-runtime\//,
	/\/n8n-workflow\/(dist\/cjs|dist\/esm|src)\/(expression|workflow-expression|workflow-data-proxy)\.(js|ts)\b/,
	/node:internal/,
	/\(<anonymous>\)$/,
	/\/lodash\//,
];

/** "function (package/path)" for the first two frames outside the expression machinery. */
function site() {
	const holder = {};
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 40;
	Error.captureStackTrace(holder, site);
	Error.stackTraceLimit = limit;
	const frames = String(holder.stack)
		.split('\n')
		.slice(1)
		.map((line) => line.trim().replace(/^at (async )?/, ''))
		.filter((line) => !line.includes(__filename) && !MACHINERY.some((pattern) => pattern.test(line)));
	return (
		frames
			.slice(0, 2)
			.map((frame) => {
				const match = /^(.*?) \((.*?):\d+:\d+\)$/.exec(frame) ?? [null, '(anonymous)', frame.replace(/:\d+:\d+$/, '')];
				const file = match[2].replace(/^.*\/node_modules\//, '').replace(/^(file:\/\/)?\/.*\/(packages\/)/, '$2');
				return `${match[1]} (${file})`;
			})
			.join(' <- ') || '(unknown)'
	);
}

function count(kind, where) {
	counts[kind] += 1;
	if (where !== undefined) {
		const key = `${kind} <- ${where}`;
		counts.sites[key] = (counts.sites[key] ?? 0) + 1;
	}
	changed();
}

function wrap(target, name, make) {
	const original = target?.[name];
	if (typeof original !== 'function' || original.__benchWrapped) return;
	const wrapped = make(original);
	wrapped.__benchWrapped = true;
	target[name] = wrapped;
}

// ---------------------------------------------------------------------------------------------
// The proposed change, in memory (BENCH_N8N_PATCH=static-trigger)

/**
 * Set by the patched LiveWebhooks.webhookPhaseNeedsIsolate for a static third-party trigger, and
 * consumed by the very next ExpressionEvaluator.acquire, which executeWebhook makes in the same
 * synchronous step (through Workflow.expression.acquireIsolate): that acquisition opens a lazy
 * scope (an isolate only if the webhook phase evaluates an expression) instead of taking one.
 */
let nextAcquireLazy = false;

function patchLiveWebhooks(exports, loaded) {
	const proto = exports.LiveWebhooks?.prototype;
	wrap(proto, 'executeWebhook', (original) =>
		function executeWebhook(...args) {
			count('webhookRequests');
			return original.apply(this, args);
		},
	);
	if (PATCH !== 'static-trigger') return;
	const { nodeParametersAreStatic, webhookDescriptionIsNativelyResolvable } = loaded.require('n8n-workflow');
	wrap(proto, 'webhookPhaseNeedsIsolate', (original) =>
		function webhookPhaseNeedsIsolate(startNode) {
			const needed = original.call(this, startNode);
			if (!needed || !this.expressionEngineConfig.allowWebhookIsolateSkip || startNode === null) return needed;
			const webhooks = this.nodeTypes.getByNameAndVersion(startNode.type, startNode.typeVersion)?.description.webhooks;
			const staticTrigger =
				nodeParametersAreStatic(startNode) &&
				Array.isArray(webhooks) &&
				webhooks.length > 0 &&
				webhooks.every(webhookDescriptionIsNativelyResolvable);
			if (staticTrigger) {
				nextAcquireLazy = true;
				// Only for the acquisition executeWebhook makes right after, in this synchronous step.
				queueMicrotask(() => {
					nextAcquireLazy = false;
				});
			}
			return needed;
		},
	);
}

/**
 * Second half of the proposal: n8n's webhook body parsing (parseRequestBody in webhook-helpers)
 * reads the `options.binaryData` parameter of a version-1 start node by evaluating the template
 * below; for a node whose parameters are static the same value is read from the parameters.
 * parseRequestBody is not exported, so the one evaluation it makes is answered here instead.
 */
const BINARY_DATA_TEMPLATE = '={{$parameter["options"]["binaryData"]}}';

function patchWorkflowExpression(exports, loaded) {
	if (PATCH !== 'static-trigger') return;
	const { nodeParametersAreStatic } = loaded.require('./webhook-description-fields');
	wrap(exports.WorkflowExpression?.prototype, 'getSimpleParameterValue', (original) =>
		function getSimpleParameterValue(node, parameterValue, ...rest) {
			const options = node?.parameters?.options;
			if (
				parameterValue === BINARY_DATA_TEMPLATE &&
				typeof options === 'object' &&
				options !== null &&
				nodeParametersAreStatic(node)
			) {
				count('nativeReads', 'parseRequestBody options.binaryData [read natively by patch]');
				return options.binaryData;
			}
			return original.call(this, node, parameterValue, ...rest);
		},
	);
}

// ---------------------------------------------------------------------------------------------
// Counting

function patchEvaluator(exports) {
	const proto = exports.ExpressionEvaluator?.prototype;
	wrap(proto, 'acquire', (original) =>
		async function acquire(caller) {
			const lazyNow = nextAcquireLazy;
			nextAcquireLazy = false;
			if (lazyNow && !this.disposed && !this.bridgesByCaller.has(caller) && !this.lazyScopes.has(caller)) {
				this.lazyScopes.add(caller);
				count('scopesOpened', `${site()} [lazy by patch]`);
				return true;
			}
			const where = site();
			const lazy = this.config.lazyAcquire === true;
			const opened = await original.call(this, caller);
			if (opened) count(lazy ? 'scopesOpened' : 'bridgesTaken', where);
			return opened;
		},
	);
	wrap(proto, 'acquireBridgeSync', (original) =>
		function acquireBridgeSync(...args) {
			const bridge = original.apply(this, args);
			count('bridgesTaken', `${site()} [lazy, at first evaluation]`);
			return bridge;
		},
	);
}

function patchBridge(exports) {
	for (const name of ['IsolatedVmBridge', 'QuickJsBridge']) {
		const proto = exports[name]?.prototype;
		wrap(proto, 'initialize', (original) =>
			async function initialize(...args) {
				count('isolatesCreated');
				return await original.apply(this, args);
			},
		);
		wrap(proto, 'initializeSync', (original) =>
			function initializeSync(...args) {
				count('isolatesCreated');
				return original.apply(this, args);
			},
		);
	}
}

function patchExpression(exports) {
	wrap(exports.Expression?.prototype, 'renderExpression', (original) =>
		function renderExpression(expression, data) {
			const where = site();
			count('evaluations', where);
			const text = String(expression).replace(/\s+/g, ' ').slice(0, 80);
			const key = `${text} <- ${where}`;
			counts.expressions[key] = (counts.expressions[key] ?? 0) + 1;
			return original.call(this, expression, data);
		},
	);
}

function patchCredentialsHelper(exports) {
	wrap(exports.CredentialsHelper?.prototype, 'getDecrypted', (original) =>
		async function getDecrypted(...args) {
			count('credentialReads');
			return await original.apply(this, args);
		},
	);
}

const TARGETS = [
	['/@n8n/expression-runtime/dist/cjs/evaluator/expression-evaluator.js', patchEvaluator],
	['/@n8n/expression-runtime/dist/cjs/bridge/isolated-vm-bridge.js', patchBridge],
	['/@n8n/expression-runtime/dist/cjs/bridge/quickjs-bridge.js', patchBridge],
	['/n8n-workflow/dist/cjs/expression.js', patchExpression],
	['/n8n/dist/webhooks/live-webhooks.js', patchLiveWebhooks],
	['/n8n-workflow/dist/cjs/workflow-expression.js', patchWorkflowExpression],
	['/n8n/dist/credentials-helper.js', patchCredentialsHelper],
];

const originalLoader = Module._extensions['.js'];
Module._extensions['.js'] = function load(module, filename) {
	originalLoader(module, filename);
	const normalized = filename.split(path.sep).join('/');
	for (const [suffix, patch] of TARGETS) {
		if (normalized.endsWith(suffix)) {
			try {
				patch(module.exports, module);
			} catch (error) {
				process.stderr.write(`[isolate-counter] could not wrap ${suffix}: ${error}\n`);
			}
		}
	}
};
