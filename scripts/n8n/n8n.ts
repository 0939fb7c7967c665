/**
 * A local n8n for `npm run dev`, the end-to-end tests and the benchmarks: a real n8n, started from
 * the cache scripts/n8n-install.sh fills, with this package installed the way users install
 * community nodes, driven over n8n's own REST API.
 *
 *   const n8n = await N8n.create();            // temp user folder, package installed
 *   await n8n.start();                         // owner set up, logged in
 *   ...
 *   await n8n.dispose();                       // stops n8n (process group) and removes the folder
 *
 * Environment:
 *   N8N_LINE=2|1            which n8n: 2 = n8n 2.x on Node 24 (default), 1 = n8n 1.123.x on Node 20
 *   N8N_E2E_SKIP_BUILD=1    do not run `npm run build` before `npm pack`
 *   N8N_E2E_TARBALL=path    install this tarball instead of packing the repository
 *   N8N_E2E_KEEP=1          keep user folders (and n8n logs) after dispose
 *   N8N_E2E_LOG_LEVEL=...   n8n's N8N_LOG_LEVEL (default info)
 *   N8N_E2E_VERBOSE=1       echo n8n's output to the test's stderr
 *   N8N_CACHE_DIR           cache directory of scripts/n8n-install.sh
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { unflatten } from './flatted';

// The harness also runs compiled outside its folder (`npm run dev`), which then names the root.
export const REPO_ROOT = process.env.SITE_WEBHOOKS_REPO_ROOT ?? path.resolve(__dirname, '..', '..');
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'n8n-install.sh');

export type N8nLine = '1' | '2';

/** What scripts/n8n-install.sh records for one line (`$CACHE/line-<n>.json`). */
export interface N8nInstallation {
	line: N8nLine;
	nodeBin: string;
	n8nBin: string;
	n8nDir: string;
	n8nVersion: string;
	nodeVersion: string;
}

export interface CommandResult {
	stdout: string;
	stderr: string;
}

export interface HttpResult {
	status: number;
	headers: Headers;
	text: string;
	json: unknown;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	disabled?: boolean;
}

export interface WorkflowDefinition {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	pinData?: Record<string, unknown>;
}

export interface CredentialDefinition {
	id?: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt?: string | null;
	stoppedAt?: string | null;
}

export interface NodeRun {
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	error?: unknown;
	executionStatus?: string;
}

export interface ExecutionData {
	resultData: { runData: Record<string, NodeRun[]>; error?: unknown; lastNodeExecuted?: string };
	[key: string]: unknown;
}

export interface ExecutionDetail extends ExecutionSummary {
	data: ExecutionData;
	workflowData?: WorkflowDefinition;
}

export interface PublicationStatus {
	status: 'published' | 'in_progress' | 'not_published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

const TERMINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled', 'failed']);

// ---------------------------------------------------------------------------------------------
// Installation and packaging

/** N8N_LINE from the environment: '2' (default) or '1'. */
export function lineFromEnv(): N8nLine {
	const value = process.env.N8N_LINE ?? '2';
	if (value !== '1' && value !== '2') throw new Error(`N8N_LINE must be 1 or 2, not "${value}"`);
	return value;
}

const installations = new Map<N8nLine, Promise<N8nInstallation>>();

/** Runs scripts/n8n-install.sh for the line (instant when cached) and returns its manifest. */
export function ensureN8nInstalled(line: N8nLine = lineFromEnv()): Promise<N8nInstallation> {
	let pending = installations.get(line);
	if (!pending) {
		pending = run('bash', [INSTALL_SCRIPT, line, '--json'], {
			cwd: REPO_ROOT,
			timeoutMs: 45 * 60_000,
		}).then(({ stdout }) => {
			const manifest = JSON.parse(stdout) as N8nInstallation;
			return { ...manifest, line };
		});
		pending.catch(() => installations.delete(line));
		installations.set(line, pending);
	}
	return pending;
}

export interface PackedPackage {
	name: string;
	version: string;
	tarball: string;
}

let packed: Promise<PackedPackage> | undefined;

/**
 * Builds the repository (`npm run build`, unless N8N_E2E_SKIP_BUILD=1) and packs it with
 * `npm pack`, once per test process. N8N_E2E_TARBALL short-cuts both.
 */
export function packPackage(): Promise<PackedPackage> {
	packed ??= (async () => {
		const pkg = JSON.parse(await fsp.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
			name: string;
			version: string;
		};
		const given = process.env.N8N_E2E_TARBALL;
		if (given) return { name: pkg.name, version: pkg.version, tarball: path.resolve(given) };
		if (process.env.N8N_E2E_SKIP_BUILD !== '1') {
			await run('npm', ['run', 'build'], { cwd: REPO_ROOT, timeoutMs: 10 * 60_000 });
		}
		const destination = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
		// The tarball lives as long as the process that packed it: the end-to-end global setup hands
		// it to the suites' processes, which all end before Jest does.
		process.on('exit', () => fs.rmSync(destination, { recursive: true, force: true }));
		// --ignore-scripts: `prepack` is the publish guard, for publishing; the build above already ran.
		const { stdout } = await run(
			'npm',
			['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
			{ cwd: REPO_ROOT, timeoutMs: 5 * 60_000 },
		);
		const [info] = JSON.parse(stdout) as Array<{
			filename: string;
			name: string;
			version: string;
			files: Array<{ path: string }>;
		}>;
		const files = info.files.map((file) => file.path);
		if (!files.some((file) => file.startsWith('dist/nodes/'))) {
			throw new Error(`npm pack produced no dist/nodes files (was the build run?): ${files.join(', ')}`);
		}
		return { name: info.name, version: info.version, tarball: path.join(destination, path.basename(info.filename)) };
	})();
	return packed;
}

// ---------------------------------------------------------------------------------------------
// Processes

interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
}

function run(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		execFile(
			command,
			args,
			{
				cwd: options.cwd,
				env: options.env ?? process.env,
				timeout: options.timeoutMs ?? 120_000,
				maxBuffer: 64 * 1024 * 1024,
				killSignal: 'SIGKILL',
			},
			(error, stdout, stderr) => {
				if (error) {
					const detail = `${stderr}\n${stdout}`.trim().split('\n').slice(-40).join('\n');
					reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${detail}`));
				} else {
					resolve({ stdout, stderr });
				}
			},
		);
	});
}

/** Process groups of every n8n this process started and has not yet stopped. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const group of liveGroups) {
			try {
				process.kill(-group, 'SIGKILL');
			} catch {
				// already gone
			}
		}
	});
}

/**
 * Runs n8n under a small guard in its own process group. The guard forwards SIGTERM/SIGINT to
 * n8n and kills the whole group when the test process disappears (a crashed or killed jest leaves
 * no n8n behind), or when n8n itself exits (no orphaned task runner).
 */
const GUARD_SCRIPT = `
const { spawn } = require('node:child_process');
const parent = Number(process.env.N8N_E2E_PARENT_PID);
const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit' });
const killGroup = () => { try { process.kill(-process.pid, 'SIGKILL'); } catch {} };
const timer = setInterval(() => {
  let alive = process.ppid === parent;
  if (alive) { try { process.kill(parent, 0); } catch { alive = false; } }
  if (!alive) killGroup();
}, 1000);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  clearInterval(timer);
  process.exit(code === null ? 1 : code);
});
`;

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') resolve(address.port);
				else reject(new Error('could not read the port of a loopback listener'));
			});
		});
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A random id in n8n's own format for workflows and credentials (16 alphanumerics). */
export function n8nId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(randomBytes(16), (byte) => alphabet[byte % alphabet.length]).join('');
}

// ---------------------------------------------------------------------------------------------
// The instance

export interface CreateOptions {
	line?: N8nLine;
	/** Install the package (default true). */
	installPackage?: boolean;
	/** Extra environment for n8n and its CLI. */
	env?: Record<string, string>;
}

export interface StartOptions {
	timeoutMs?: number;
}

export class N8n {
	readonly owner = {
		email: 'owner@example.com',
		password: 'E2e-Password-123',
		firstName: 'E2E',
		lastName: 'Owner',
	};

	port = 0;

	private brokerPort = 0;

	private child?: ChildProcess;

	private exited?: Promise<void>;

	private cookie?: string;

	private logTail: string[] = [];

	private starts = 0;

	/** Workflows activated with the CLI while stopped: on 2.x they go live after the next start. */
	private readonly publishOnStart = new Set<string>();

	private constructor(
		readonly installation: N8nInstallation,
		readonly userFolder: string,
		private readonly encryptionKey: string,
		private readonly extraEnv: Record<string, string>,
	) {}

	/** Makes a temporary user folder and, unless told not to, installs the packed package into it. */
	static async create(options: CreateOptions = {}): Promise<N8n> {
		const line = options.line ?? lineFromEnv();
		const [installation, pkg] = await Promise.all([
			ensureN8nInstalled(line),
			options.installPackage === false ? undefined : packPackage(),
		]);
		const userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-e2e-${line}-`));
		const n8n = new N8n(installation, userFolder, randomBytes(24).toString('hex'), options.env ?? {});
		try {
			if (pkg) await n8n.installPackage(pkg);
		} catch (error) {
			await fsp.rm(userFolder, { recursive: true, force: true });
			throw error;
		}
		return n8n;
	}

	get major(): number {
		return Number(this.installation.n8nVersion.split('.')[0]);
	}

	get baseUrl(): string {
		if (!this.port) throw new Error('n8n has not been started');
		return `http://127.0.0.1:${this.port}`;
	}

	get running(): boolean {
		return this.child !== undefined;
	}

	/** The process group of the running n8n (its guard's pid), or undefined when stopped. */
	get processGroup(): number | undefined {
		return this.child?.pid;
	}

	/** `<user folder>/.n8n`, n8n's own folder (config, database.sqlite, nodes/). */
	get n8nFolder(): string {
		return path.join(this.userFolder, '.n8n');
	}

	productionUrl(webhookId: string, webhookPath = 'webhook'): string {
		return `${this.baseUrl}/webhook/${webhookId}/${webhookPath}`;
	}

	testUrl(webhookId: string, webhookPath = 'webhook'): string {
		return `${this.baseUrl}/webhook-test/${webhookId}/${webhookPath}`;
	}

	/** The last lines n8n printed (all starts), for failure messages. */
	logs(lines = 200): string {
		return this.logTail.slice(-lines).join('\n');
	}

	/**
	 * Installs a packed tarball the way a user's instance holds community packages: a package.json
	 * in `<user folder>/.n8n/nodes` naming it as a dependency, then `npm install` there
	 * (no scripts, no dev or peer dependencies: n8n-workflow comes from n8n itself).
	 */
	async installPackage(pkg: PackedPackage): Promise<void> {
		const nodesDir = path.join(this.n8nFolder, 'nodes');
		await fsp.mkdir(nodesDir, { recursive: true });
		const tarball = path.join(this.userFolder, path.basename(pkg.tarball));
		await fsp.copyFile(pkg.tarball, tarball);
		const manifest = { name: 'installed-nodes', private: true, dependencies: { [pkg.name]: `file:${tarball}` } };
		await fsp.writeFile(path.join(nodesDir, 'package.json'), JSON.stringify(manifest, null, 2));
		await run(
			'npm',
			[
				'install',
				'--ignore-scripts',
				'--omit=dev',
				'--omit=peer',
				'--no-audit',
				'--no-fund',
				'--no-package-lock',
				'--prefer-offline',
				'--install-links',
			],
			{ cwd: nodesDir, timeoutMs: 5 * 60_000 },
		);
		const installed = path.join(nodesDir, 'node_modules', pkg.name, 'package.json');
		if (!fs.existsSync(installed)) throw new Error(`npm install did not put ${pkg.name} in ${nodesDir}/node_modules`);
	}

	private env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
		const nodeDir = path.dirname(this.installation.nodeBin);
		const env: NodeJS.ProcessEnv = {
			PATH: `${nodeDir}${path.delimiter}${process.env.PATH ?? ''}`,
			HOME: process.env.HOME ?? this.userFolder,
			TZ: 'UTC',
			LANG: process.env.LANG ?? 'C.UTF-8',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: this.port ? `http://127.0.0.1:${this.port}/` : '',
			N8N_EDITOR_BASE_URL: this.port ? `http://127.0.0.1:${this.port}/` : '',
			N8N_SECURE_COOKIE: 'false',
			GENERIC_TIMEZONE: 'UTC',
			DB_TYPE: 'sqlite',
			// Nothing reaches n8n's servers.
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_PUBLIC_API_DISABLED: 'true',
			// Community packages load from <user folder>/.n8n/nodes; never reinstalled from the registry.
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			// Every execution is kept so the tests can read it back.
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			EXECUTIONS_DATA_PRUNE: 'false',
			// The task runner broker listens on its own port (default 5679): give it a free one.
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_LOG_LEVEL: process.env.N8N_E2E_LOG_LEVEL ?? 'info',
			N8N_LOG_OUTPUT: 'console',
			NO_COLOR: '1',
			N8N_E2E_PARENT_PID: String(process.pid),
			...this.extraEnv,
			...overrides,
		};
		if (fs.existsSync(path.join(this.installation.n8nDir, 'node_modules/n8n/dist/modules/mcp-registry'))) {
			// 2.x: this module fetches a list of MCP servers from api.n8n.io at start (ENOTFOUND here).
			env.N8N_DISABLED_MODULES ??= 'mcp-registry';
		}
		if (this.major < 2) {
			// 1.x: Code-node task runners are optional; they are not needed here.
			env.N8N_RUNNERS_ENABLED ??= 'false';
		}
		if (this.major < 2 && Number(this.installation.nodeVersion.replace(/^v/, '').split('.')[0]) < 22) {
			// n8n >= 1.123.76 evaluates expressions in isolated-vm 6 by default ("vm" engine). isolated-vm 6
			// needs Node >= 22 (prebuilt for ABI 127/137 only; building it against Node 20's V8 fails:
			// no v8::SourceLocation), so on Node 20 n8n exits at start with "Could not initialize the vm
			// expression engine". n8n's own setting selects the engine 1.x used before: "legacy".
			env.N8N_EXPRESSION_ENGINE ??= 'legacy';
		}
		return env;
	}

	/** Runs an n8n CLI command (`n8n <args>`) on this user folder. n8n must be stopped (SQLite). */
	async cli(args: string[], timeoutMs = 180_000): Promise<CommandResult> {
		if (this.running) throw new Error(`stop n8n before running "n8n ${args.join(' ')}"`);
		const result = await run(this.installation.nodeBin, [this.installation.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(),
			timeoutMs,
		});
		this.record(`$ n8n ${args.join(' ')}\n${result.stdout}${result.stderr}`);
		return result;
	}

	/**
	 * Imports credentials with `n8n import:credentials` (n8n stopped). Plain `data` is encrypted by
	 * the command. Ids are filled in when missing; the credentials are returned with their ids.
	 */
	async importCredentials(credentials: CredentialDefinition[]): Promise<Array<CredentialDefinition & { id: string }>> {
		const withIds = credentials.map((credential) => ({ ...credential, id: credential.id ?? n8nId() }));
		const file = path.join(this.userFolder, `import-credentials-${randomUUID()}.json`);
		await fsp.writeFile(file, JSON.stringify(withIds, null, 2));
		await this.cli(['import:credentials', `--input=${file}`]);
		await fsp.rm(file, { force: true });
		return withIds;
	}

	/**
	 * Imports workflows with `n8n import:workflow` (n8n stopped) and, with `activate`, makes them
	 * live at the next start: `n8n publish:workflow --id` on 2.x, `n8n update:workflow --id
	 * --active=true` on 1.x.
	 */
	async importWorkflows(
		workflows: WorkflowDefinition[],
		{ activate = true }: { activate?: boolean } = {},
	): Promise<Array<WorkflowDefinition & { id: string }>> {
		const withIds = workflows.map((workflow) => ({
			active: false,
			settings: { executionOrder: 'v1' },
			...workflow,
			id: workflow.id ?? n8nId(),
		}));
		const file = path.join(this.userFolder, `import-workflows-${randomUUID()}.json`);
		await fsp.writeFile(file, JSON.stringify(withIds, null, 2));
		await this.cli(['import:workflow', `--input=${file}`]);
		await fsp.rm(file, { force: true });
		if (activate) {
			for (const workflow of withIds) {
				if (this.hasCommand('publish', 'workflow')) {
					await this.cli(['publish:workflow', `--id=${workflow.id}`]);
				} else {
					await this.cli(['update:workflow', `--id=${workflow.id}`, '--active=true']);
				}
				this.publishOnStart.add(workflow.id);
			}
		}
		return withIds;
	}

	private hasCommand(topic: string, name: string): boolean {
		return fs.existsSync(
			path.join(this.installation.n8nDir, 'node_modules', 'n8n', 'dist', 'commands', topic, `${name}.js`),
		);
	}

	/** Starts n8n, waits until it is ready, then sets up the owner (first start) and logs in. */
	async start(options: StartOptions = {}): Promise<void> {
		if (this.running) throw new Error('n8n is already running');
		this.port ||= await freePort();
		this.brokerPort ||= await freePort();
		installExitHook();
		this.starts += 1;
		const logFile = fs.createWriteStream(path.join(this.userFolder, `n8n-start-${this.starts}.log`));
		const child = spawn(
			this.installation.nodeBin,
			['-e', GUARD_SCRIPT, this.installation.n8nBin, 'start'],
			{ cwd: this.userFolder, env: this.env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		this.child = child;
		if (child.pid === undefined) throw new Error('could not start n8n');
		const group = child.pid;
		liveGroups.add(group);
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				this.record(`[harness] n8n exited (code ${code}, signal ${signal})`);
				liveGroups.delete(group);
				killProcessGroup(group, 'SIGKILL');
				if (this.child === child) this.child = undefined;
				logFile.end();
				resolve();
			});
		});
		let ready = false;
		let partial = '';
		const onData = (chunk: Buffer) => {
			logFile.write(chunk);
			const text = partial + chunk.toString('utf8');
			const lines = text.split('\n');
			partial = lines.pop() ?? '';
			for (const line of lines) {
				this.record(line);
				if (line.includes('Editor is now accessible via')) ready = true;
			}
			if (process.env.N8N_E2E_VERBOSE === '1') process.stderr.write(chunk);
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);

		const deadline = Date.now() + (options.timeoutMs ?? 180_000);
		try {
			for (;;) {
				if (this.child !== child) throw new Error('n8n exited while starting');
				if (ready && (await this.isReady())) break;
				if (Date.now() > deadline) throw new Error('n8n did not become ready in time');
				await sleep(500);
			}
			await this.signIn();
			for (const id of this.publishOnStart) await this.waitUntilLive(id);
			this.publishOnStart.clear();
		} catch (error) {
			await this.stop();
			throw new Error(`${(error as Error).message}\n--- n8n output ---\n${this.logs(80)}`);
		}
	}

	private async isReady(): Promise<boolean> {
		try {
			const response = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			await response.arrayBuffer();
			return response.status === 200;
		} catch {
			return false;
		}
	}

	/** Stops n8n: SIGTERM (n8n shuts down cleanly), then SIGKILL to the group after a grace period. */
	async stop(graceMs = 30_000): Promise<void> {
		const child = this.child;
		if (!child || child.pid === undefined) return;
		const group = child.pid;
		this.cookie = undefined;
		if (!(await stopGuarded(group, this.exited ?? Promise.resolve(), graceMs))) {
			this.record('[harness] n8n did not stop in time: SIGKILL');
		}
		liveGroups.delete(group);
		this.child = undefined;
	}

	/**
	 * Starts one more n8n process on this user folder and database, for queue mode: `n8n webhook`
	 * (receives production deliveries on its own port) or `n8n worker` (runs executions; its
	 * health check on its own port). The main process must run with EXECUTIONS_MODE=queue.
	 */
	async startQueueProcess(command: QueueCommand, options: StartOptions & { port?: number } = {}): Promise<QueueProcess> {
		if (!this.running) throw new Error('start the main n8n process first');
		const port = options.port ?? (await freePort());
		const overrides: Record<string, string> = {
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		};
		if (command === 'worker') {
			overrides.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
			overrides.QUEUE_HEALTH_CHECK_PORT = String(port);
		}
		installExitHook();
		const logFile = fs.createWriteStream(path.join(this.userFolder, `n8n-${command}-${port}.log`));
		const child = spawn(this.installation.nodeBin, ['-e', GUARD_SCRIPT, this.installation.n8nBin, command], {
			cwd: this.userFolder,
			env: this.env(overrides),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		if (child.pid === undefined) throw new Error(`could not start n8n ${command}`);
		const group = child.pid;
		liveGroups.add(group);
		const handle = new QueueProcess(command, port, group, child, logFile, (line) => this.record(`[${command}:${port}] ${line}`));
		const readyLine = command === 'webhook' ? 'Webhook listener waiting for requests.' : 'n8n worker is now ready';
		const deadline = Date.now() + (options.timeoutMs ?? 120_000);
		while (!handle.output.includes(readyLine)) {
			if (!handle.running) throw new Error(`n8n ${command} exited while starting:\n${handle.tail(60)}`);
			if (Date.now() > deadline) {
				await handle.stop();
				throw new Error(`n8n ${command} did not become ready in time:\n${handle.tail(60)}`);
			}
			await sleep(250);
		}
		return handle;
	}

	async restart(options: StartOptions = {}): Promise<void> {
		await this.stop();
		await this.start(options);
	}

	/** Stops n8n and removes the user folder (kept with N8N_E2E_KEEP=1). */
	async dispose(): Promise<void> {
		await this.stop();
		if (process.env.N8N_E2E_KEEP === '1') {
			process.stderr.write(`[n8n e2e] kept user folder ${this.userFolder}\n`);
		} else {
			await fsp.rm(this.userFolder, { recursive: true, force: true });
		}
	}

	private record(text: string): void {
		for (const line of text.split('\n')) this.logTail.push(line);
		if (this.logTail.length > 4000) this.logTail.splice(0, this.logTail.length - 2000);
	}

	// -------------------------------------------------------------------------------------------
	// HTTP

	/** Any HTTP request to n8n; `auth` sends the owner's cookie. Never throws on a status. */
	async request(
		method: string,
		urlOrPath: string,
		options: { body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string>; auth?: boolean } = {},
	): Promise<HttpResult> {
		const url = urlOrPath.startsWith('http') ? urlOrPath : `${this.baseUrl}${urlOrPath}`;
		const headers: Record<string, string> = { ...(options.headers ?? {}) };
		let body: string | Buffer | undefined = options.rawBody;
		if (options.body !== undefined) {
			body = JSON.stringify(options.body);
			headers['content-type'] ??= 'application/json';
		}
		if (options.auth && this.cookie) headers.cookie = this.cookie;
		const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(60_000) });
		const text = await response.text();
		let json: unknown;
		try {
			json = text === '' ? undefined : JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, headers: response.headers, text, json };
	}

	/** A call to n8n's internal REST API (`/rest/...`) as the owner; returns `data`, throws on non-2xx. */
	async rest<T = unknown>(method: string, restPath: string, body?: unknown): Promise<T> {
		const result = await this.request(method, `/rest${restPath}`, { body, auth: true });
		if (result.status < 200 || result.status >= 300) {
			throw new Error(`${method} /rest${restPath} answered ${result.status}: ${result.text.slice(0, 1000)}`);
		}
		const json = result.json as { data?: T } | undefined;
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	private async signIn(): Promise<void> {
		const settings = await this.rest<{ userManagement?: { showSetupOnFirstLoad?: boolean } }>('GET', '/settings');
		if (settings.userManagement?.showSetupOnFirstLoad) {
			const setup = await this.request('POST', '/rest/owner/setup', { body: this.owner });
			if (setup.status !== 200) throw new Error(`owner setup answered ${setup.status}: ${setup.text}`);
			this.takeCookie(setup.headers);
		}
		const login = await this.request('POST', '/rest/login', {
			body: { emailOrLdapLoginId: this.owner.email, email: this.owner.email, password: this.owner.password },
		});
		if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
		this.takeCookie(login.headers);
		if (!this.cookie) throw new Error('login set no n8n-auth cookie');
	}

	private takeCookie(headers: Headers): void {
		for (const header of headers.getSetCookie()) {
			const [pair] = header.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
	}

	// -------------------------------------------------------------------------------------------
	// Node types, credentials, workflows

	/** Names of all node types n8n has loaded (`GET /types/nodes.json`, what the editor reads). */
	async nodeTypeNames(): Promise<string[]> {
		const result = await this.request('GET', '/types/nodes.json', { auth: true });
		if (result.status !== 200) throw new Error(`/types/nodes.json answered ${result.status}`);
		return (result.json as Array<{ name: string }>).map((type) => type.name);
	}

	/** Names of all credential types (`GET /types/credentials.json`). */
	async credentialTypeNames(): Promise<string[]> {
		const result = await this.request('GET', '/types/credentials.json', { auth: true });
		if (result.status !== 200) throw new Error(`/types/credentials.json answered ${result.status}`);
		return (result.json as Array<{ name: string }>).map((type) => type.name);
	}

	/** Descriptions of node types (`POST /rest/node-types`), as the editor loads them. */
	async nodeTypeDescriptions(nodeInfos: Array<{ name: string; version: number }>): Promise<Array<Record<string, unknown>>> {
		return await this.rest('POST', '/node-types', { nodeInfos });
	}

	async createCredential(credential: CredentialDefinition): Promise<{ id: string; name: string }> {
		const created = await this.rest<{ id: string; name: string }>('POST', '/credentials', {
			name: credential.name,
			type: credential.type,
			data: credential.data,
		});
		return { id: created.id, name: created.name };
	}

	async createWorkflow(workflow: WorkflowDefinition): Promise<{ id: string; versionId: string }> {
		const { id: _ignored, ...body } = workflow;
		const created = await this.rest<{ id: string; versionId: string }>('POST', '/workflows', {
			active: false,
			settings: { executionOrder: 'v1' },
			...body,
		});
		return { id: created.id, versionId: created.versionId };
	}

	async getWorkflow(id: string): Promise<WorkflowDefinition & { id: string; versionId: string; active: boolean }> {
		return await this.rest('GET', `/workflows/${id}`);
	}

	/**
	 * Makes a saved workflow live and waits until its triggers are registered.
	 * Both lines have `POST /rest/workflows/:id/activate {versionId}`. On 1.x it registers the
	 * webhooks before answering. On 2.x it only queues the publication (an outbox that a consumer
	 * applies moments later), so this polls `GET /rest/workflows/:id/publication-status` until it
	 * says "published"; "failed" (for instance an error thrown by the node's webhook `create()`)
	 * is thrown with the trigger's message.
	 */
	async activateWorkflow(id: string, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
		const current = await this.getWorkflow(id);
		await this.rest('POST', `/workflows/${id}/activate`, { versionId: current.versionId });
		await this.waitUntilLive(id, timeoutMs);
		const after = await this.getWorkflow(id);
		if (!after.active) throw new Error(`workflow ${id} is not active after activation`);
	}

	/**
	 * Waits until an active workflow's triggers are registered. 1.x registers them before
	 * `activate` answers, and at start before "Editor is now accessible". 2.x publishes through an
	 * outbox, also at start (a workflow published with the CLI goes live moments after n8n says it
	 * is ready): this polls `GET /rest/workflows/:id/publication-status` until "published".
	 */
	async waitUntilLive(id: string, timeoutMs = 30_000): Promise<void> {
		if (this.major < 2) return;
		const deadline = Date.now() + timeoutMs;
		let last: PublicationStatus | undefined;
		for (;;) {
			last = await this.rest<PublicationStatus>('GET', `/workflows/${id}/publication-status`);
			if (last.status === 'published') return;
			if (last.status === 'failed' || last.status === 'partial') {
				throw new Error(`publishing workflow ${id} failed: ${JSON.stringify(last.triggers)}`);
			}
			if (Date.now() > deadline) {
				throw new Error(`workflow ${id} was not published in time: ${JSON.stringify(last)}`);
			}
			await sleep(200);
		}
	}

	async deactivateWorkflow(id: string): Promise<void> {
		await this.rest('POST', `/workflows/${id}/deactivate`, {});
	}

	/** Saves a workflow over REST and (by default) activates it; returns its id. */
	async deploy(workflow: WorkflowDefinition, { activate = true }: { activate?: boolean } = {}): Promise<string> {
		const { id } = await this.createWorkflow(workflow);
		if (activate) await this.activateWorkflow(id);
		return id;
	}

	/**
	 * Makes the workflow listen for one test event, as the editor's "Listen for test event" does
	 * (`POST /rest/workflows/:id/run`); the test URL then takes one delivery. 2.x runs the saved
	 * workflow from `triggerToStartFrom`; 1.x needs the workflow data in the body.
	 */
	async listenForTestEvent(workflowId: string, triggerNodeName: string): Promise<void> {
		let body: Record<string, unknown> = { triggerToStartFrom: { name: triggerNodeName } };
		if (this.major < 2) {
			const workflowData = await this.getWorkflow(workflowId);
			body = { workflowData, ...body };
		}
		const result = await this.rest<{ waitingForWebhook?: boolean }>('POST', `/workflows/${workflowId}/run`, body);
		if (!result?.waitingForWebhook) {
			throw new Error(`n8n is not waiting for a test webhook: ${JSON.stringify(result)}`);
		}
	}

	// -------------------------------------------------------------------------------------------
	// Executions

	/** Executions of a workflow, newest first (`GET /rest/executions?filter=...`). */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions?filter=${filter}&limit=250`);
		return data.results.map((execution) => ({ ...execution, id: String(execution.id) }));
	}

	/**
	 * Every execution of a workflow, newest first. n8n caps `limit` at 100 (so `executions()` sees at
	 * most 100): this pages by id (`lastId`), with every status in the filter so that n8n takes its
	 * plain range query ordered by id.
	 */
	async allExecutions(workflowId: string): Promise<ExecutionSummary[]> {
		const status = ['canceled', 'crashed', 'error', 'new', 'running', 'success', 'unknown', 'waiting'];
		const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
		const all: ExecutionSummary[] = [];
		let lastId: string | undefined;
		for (;;) {
			const cursor = lastId === undefined ? '' : `&lastId=${encodeURIComponent(lastId)}`;
			const data = await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions?filter=${filter}&limit=100${cursor}`);
			const page = data.results.map((execution) => ({ ...execution, id: String(execution.id) }));
			all.push(...page);
			if (page.length < 100) return all;
			lastId = page[page.length - 1].id;
		}
	}

	/** One execution with its run data decoded (`GET /rest/executions/:id`). */
	async execution(id: string): Promise<ExecutionDetail> {
		const raw = await this.rest<Record<string, unknown>>('GET', `/executions/${id}`);
		const data = typeof raw.data === 'string' ? unflatten(raw.data) : raw.data;
		return { ...(raw as unknown as ExecutionSummary), id: String(raw.id), data: data as ExecutionData };
	}

	/**
	 * Waits until the workflow has at least `count` executions, all finished, and returns them
	 * (newest first). Executions are saved after the webhook has answered, so tests wait for them.
	 */
	async waitForExecutions(
		workflowId: string,
		count: number,
		{ timeoutMs = 30_000 }: { timeoutMs?: number } = {},
	): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + timeoutMs;
		let last: ExecutionSummary[] = [];
		for (;;) {
			last = await this.executions(workflowId);
			if (last.length >= count && last.every((execution) => TERMINAL_STATUSES.has(execution.status))) return last;
			if (Date.now() > deadline) {
				throw new Error(
					`expected ${count} finished execution(s) of ${workflowId}, found ${JSON.stringify(last.map((e) => [e.id, e.status]))}`,
				);
			}
			await sleep(250);
		}
	}

	/**
	 * Waits `settleMs` (long enough for an execution that was going to start to be saved) and
	 * returns the executions then; for asserting that nothing ran.
	 */
	async executionsAfterSettling(workflowId: string, settleMs = 2000): Promise<ExecutionSummary[]> {
		await sleep(settleMs);
		return await this.executions(workflowId);
	}
}

// ---------------------------------------------------------------------------------------------
// Reading execution data

/** The `json` of every item a node output on its first run, first output. */
export type QueueCommand = 'webhook' | 'worker';

/** A running `n8n webhook` or `n8n worker` process, in its own process group. */
export class QueueProcess {
	output = '';

	readonly exited: Promise<void>;

	private alive = true;

	constructor(
		readonly command: QueueCommand,
		/** Its HTTP port: webhooks for `n8n webhook`, the health check for `n8n worker`. */
		readonly port: number,
		private readonly group: number,
		child: ChildProcess,
		logFile: fs.WriteStream,
		record: (line: string) => void,
	) {
		const onData = (chunk: Buffer) => {
			logFile.write(chunk);
			const text = chunk.toString('utf8');
			this.output += text;
			if (this.output.length > 4_000_000) this.output = this.output.slice(-2_000_000);
			for (const line of text.split('\n')) if (line !== '') record(line);
			if (process.env.N8N_E2E_VERBOSE === '1') process.stderr.write(chunk);
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		this.exited = new Promise((resolve) => {
			child.on('exit', () => {
				this.alive = false;
				liveGroups.delete(group);
				killProcessGroup(group, 'SIGKILL');
				logFile.end();
				resolve();
			});
		});
	}

	get running(): boolean {
		return this.alive;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	productionUrl(webhookId: string, webhookPath = 'webhook'): string {
		return `${this.baseUrl}/webhook/${webhookId}/${webhookPath}`;
	}

	tail(lines: number): string {
		return this.output.split('\n').slice(-lines).join('\n');
	}

	/** Kills the whole process group at once (n8n gets no chance to shut down). */
	async kill(): Promise<void> {
		killProcessGroup(this.group, 'SIGKILL');
		await this.exited;
	}

	/** SIGTERM (n8n shuts down cleanly), then SIGKILL to the group after a grace period. */
	async stop(graceMs = 30_000): Promise<void> {
		if (this.alive) await stopGuarded(this.group, this.exited, graceMs);
	}
}

/**
 * Stops an n8n run under GUARD_SCRIPT, whose pid is its process group: SIGTERM to the guard (which
 * forwards it to n8n), then SIGKILL to the whole group after `graceMs`. True when it stopped in time.
 */
async function stopGuarded(group: number, exited: Promise<void>, graceMs: number): Promise<boolean> {
	try {
		process.kill(group, 'SIGTERM');
	} catch {
		// already gone
	}
	let timer: NodeJS.Timeout | undefined;
	const stopped = await Promise.race([
		exited.then(() => true),
		new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
	]);
	clearTimeout(timer);
	if (!stopped) {
		killProcessGroup(group, 'SIGKILL');
		await exited;
	}
	killProcessGroup(group, 'SIGKILL');
	return stopped;
}

function killProcessGroup(group: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-group, signal);
	} catch {
		// the group is empty
	}
}

export function nodeOutput(execution: ExecutionDetail, nodeName: string, runIndex = 0): Array<Record<string, unknown>> {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs || !runs[runIndex]) {
		throw new Error(
			`node "${nodeName}" has no run ${runIndex} in execution ${execution.id} (ran: ${Object.keys(execution.data.resultData.runData).join(', ')})`,
		);
	}
	const main = runs[runIndex].data?.main?.[0] ?? [];
	return main.map((item) => item.json);
}
