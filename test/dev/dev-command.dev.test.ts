/**
 * The README's main job, as a user meets it: the real `npm run dev` in its own process, the URLs and
 * login it prints, `npm run send -- <provider> <event>` for one sample of every provider, one
 * successful execution each (read through n8n's REST API with the printed login), then Ctrl-C
 * (SIGINT to the command's process group) and nothing left running. The same for
 * `npm run dev -- --queue` (queue mode: PostgreSQL, Redis, webhook processes and a worker).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { demoProviders } from '../../scripts/dev/demo';
import { firstSample, sampleName } from '../support/deliveries';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 8 * 60_000;

interface Printed {
	editor: string;
	email: string;
	password: string;
	userFolder: string;
	productionUrls: Map<string, string>;
	/** Every port the command says it listens on: n8n's, and in queue mode the webhook processes', PostgreSQL's and Redis's. */
	ports: number[];
}

interface Execution {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

/** The demo of every provider the package declares (package.json's `n8n` block). */
const demos = demoProviders();

const declaredNodes = (
	JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }
).n8n.nodes;

/** One documented JSON sample per provider, as `npm run send` names it. */
function sampleEvent(key: string): string {
	const demo = demos.find((candidate) => candidate.key === key);
	if (demo === undefined) throw new Error(`no demo for ${key}`);
	return sampleName(firstSample(demo.provider));
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code, output }));
	});
}

/** Processes whose environment names this n8n user folder: n8n, its guard and its task runners. */
function processesUsing(userFolder: string): number[] {
	const marker = `N8N_USER_FOLDER=${userFolder}\0`;
	const found: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (`${fs.readFileSync(`/proc/${entry}/environ`, 'latin1')}\0`.includes(marker)) found.push(Number(entry));
		} catch {
			// gone meanwhile, or not ours to read
		}
	}
	return found;
}

function portAccepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

class RestClient {
	private cookie = '';

	constructor(private readonly base: string) {}

	async login(email: string, password: string): Promise<void> {
		const response = await fetch(`${this.base}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, email, password }),
		});
		expect(response.status).toBe(200);
		const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		expect(cookie).toBeDefined();
		this.cookie = (cookie as string).split(';')[0];
	}

	async get<T>(route: string): Promise<T> {
		const response = await fetch(`${this.base}/rest${route}`, { headers: { cookie: this.cookie } });
		if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}`);
		return ((await response.json()) as { data: T }).data;
	}

	async executions(): Promise<Execution[]> {
		const data = await this.get<{ results: Execution[] }>('/executions?limit=250');
		return data.results.map((execution) => ({ ...execution, id: String(execution.id) }));
	}
}

describe.each([
	['npm run dev', [] as string[]],
	['npm run dev -- --queue', ['--', '--queue']],
])('%s, as the README tells a user to run it', (_name, extraArgs) => {
	const queue = extraArgs.includes('--queue');
	let dev: ChildProcess | undefined;
	let output = '';
	let exited: Promise<number | null>;
	let port: number;
	let printed: Printed;
	const env = { ...process.env };

	beforeAll(async () => {
		port = await freePort();
		env.N8N_DEV_PORT = String(port);
		// Its own process group, as a terminal gives a command: Ctrl-C goes to the whole group.
		dev = spawn('npm', ['run', 'dev', ...extraArgs], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		exited = new Promise((resolve) => dev?.on('exit', (code) => resolve(code)));
		dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		const deadline = Date.now() + START_TIMEOUT_MS;
		while (!output.includes('Press Ctrl-C to stop.')) {
			if (dev.exitCode !== null) throw new Error(`npm run dev exited with ${dev.exitCode}:\n${output}`);
			if (Date.now() > deadline) throw new Error(`npm run dev did not get ready:\n${output.slice(-4000)}`);
			await sleep(500);
		}
		const editor = /Editor:\s+(\S+)\s+\(sign in as (\S+) \/ (\S+)\)/.exec(output);
		const data = /Data:.*?(\/\S+) \((?:SQLite; )?removed when you stop\)/.exec(output);
		if (!editor || !data) throw new Error(`npm run dev printed no editor URL, login or data folder:\n${output}`);
		const productionUrls = new Map<string, string>();
		for (const match of output.matchAll(/^\s+(\w+)\s+(http:\/\/localhost:\d+\/webhook\/\S+)$/gm)) {
			productionUrls.set(match[1], match[2]);
		}
		const ports = [port, ...[...output.matchAll(/(?:127\.0\.0\.1:|ports? )(\d+)(?: and (\d+))?/g)].flatMap((m) => m.slice(1).filter(Boolean).map(Number))];
		printed = { editor: editor[1], email: editor[2], password: editor[3], userFolder: data[1], productionUrls, ports };
	}, START_TIMEOUT_MS + 60_000);

	afterAll(async () => {
		// A failed test still leaves nothing running.
		if (dev?.pid !== undefined && dev.exitCode === null) {
			try {
				process.kill(-dev.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		if (printed) for (const pid of processesUsing(printed.userFolder)) process.kill(pid, 'SIGKILL');
	});

	it('prints the editor, a login and one production URL per trigger the package declares', () => {
		expect(printed.editor).toBe(`http://localhost:${port}/`);
		expect([...printed.productionUrls.keys()].sort()).toEqual(demos.map((demo) => demo.key).sort());
		expect(printed.productionUrls.size).toBe(declaredNodes.length);
		// In queue mode the deliveries go to the first webhook process, on the next port.
		const receiver = queue ? port + 1 : port;
		for (const url of printed.productionUrls.values()) expect(url.startsWith(`http://localhost:${receiver}/webhook/`)).toBe(true);
		if (queue) {
			expect(output).toMatch(/PostgreSQL on 127\.0\.0\.1:\d+, Redis on 127\.0\.0\.1:\d+/);
			expect(output).toContain(`webhook processes on ports ${port + 1} and ${port + 2} take the deliveries; 1 worker runs them`);
		}
		expect(fs.existsSync(printed.userFolder)).toBe(true);
	});

	it('runs one successful execution for each `npm run send` sample, one per provider', async () => {
		const client = new RestClient(`http://localhost:${port}`);
		await client.login(printed.email, printed.password);
		const workflows = await client.get<Array<{ id: string; name: string }>>('/workflows');
		const workflowOf = new Map(workflows.map((workflow) => [workflow.name, workflow.id]));
		expect(await client.executions()).toEqual([]);

		for (const { key, title } of demos) {
			// Queue mode prints the command with the webhook process's port, as the user is told to send it.
			const receiver = new URL(printed.productionUrls.get(key) as string).port;
			const sent = await run('npm', ['run', 'send', '--', key, sampleEvent(key), ...(queue ? ['--port', receiver] : [])], env);
			expect({ key, code: sent.code }).toEqual({ key, code: 0 });
			expect(sent.output).toContain(`POST ${printed.productionUrls.get(key)}`);
			expect(sent.output).toContain('200 {"received":true}');
			expect(workflowOf.get(title)).toBeDefined();
		}

		const providers = demos;
		let executions: Execution[] = [];
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			executions = await client.executions();
			if (executions.length >= providers.length && executions.every((e) => e.status !== 'running' && e.status !== 'new')) break;
			await sleep(500);
		}
		await sleep(1500);
		executions = await client.executions();
		const perWorkflow = providers.map((provider) => {
			const id = workflowOf.get(provider.title);
			return {
				workflow: provider.title,
				executions: executions.filter((e) => e.workflowId === id).map((e) => ({ status: e.status, mode: e.mode })),
			};
		});
		expect(perWorkflow).toEqual(
			providers.map((provider) => ({ workflow: provider.title, executions: [{ status: 'success', mode: 'webhook' }] })),
		);
		expect(executions).toHaveLength(providers.length);
	});

	it('stops on Ctrl-C and leaves no n8n process, port or data folder behind', async () => {
		const pid = dev?.pid as number;
		expect(processesUsing(printed.userFolder).length).toBeGreaterThan(0);
		process.kill(-pid, 'SIGINT');
		let timer: NodeJS.Timeout | undefined;
		const code = await Promise.race([
			exited,
			new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 90_000))),
		]);
		clearTimeout(timer);
		expect(code).not.toBe('timeout');
		expect(output).toContain('Stopping n8n...');
		// The guard, n8n and its task runner go with it (they run in a process group of their own).
		let left = processesUsing(printed.userFolder);
		for (let i = 0; i < 20 && left.length > 0; i++) {
			await sleep(250);
			left = processesUsing(printed.userFolder);
		}
		expect(left).toEqual([]);
		for (const listening of printed.ports) expect({ port: listening, open: await portAccepts(listening) }).toEqual({ port: listening, open: false });
		expect(fs.existsSync(printed.userFolder)).toBe(false);
	}, 120_000);
});
