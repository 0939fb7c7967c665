/**
 * n8n's queue mode, the set-up users scale out on, on loopback: PostgreSQL and Redis private to the
 * run (scripts/n8n/services.ts), the main process (editor, REST API, triggers other than webhooks),
 * `n8n webhook` processes that take the production deliveries, and `n8n worker` processes that run
 * the executions, all on one user folder with this package installed. Used by `npm run dev --
 * --queue` and the queue-mode tests.
 */
import { N8n, type N8nLine, type QueueProcess } from './n8n';
import { startPostgres, startRedis, type PostgresService, type RedisService } from './services';

export interface QueueModeOptions {
	line?: N8nLine;
	/** The main process's port (default: a free one). */
	mainPort?: number;
	/** One `n8n webhook` process per entry, on that port (0: a free one). Default two. */
	webhookPorts?: number[];
	workers?: number;
	/** More environment for every n8n process. */
	env?: Record<string, string>;
	/** Runs with the database up and n8n not started yet: for CLI imports. */
	beforeStart?: (n8n: N8n) => Promise<void>;
	startTimeoutMs?: number;
}

export interface QueueModeStack {
	n8n: N8n;
	webhooks: QueueProcess[];
	workers: QueueProcess[];
	postgres: PostgresService;
	redis: RedisService;
	/** Stops every n8n process, then Redis and PostgreSQL, and removes their data. */
	stop(): Promise<void>;
}

/** What makes n8n processes one queue-mode installation over `postgres` and `redis`. */
export function queueModeEnv(postgres: PostgresService, redis: RedisService): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Production deliveries go to the webhook processes only.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
	};
}

export async function startQueueMode(options: QueueModeOptions = {}): Promise<QueueModeStack> {
	const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
	const webhooks: QueueProcess[] = [];
	const workers: QueueProcess[] = [];
	let n8n: N8n | undefined;
	const stop = async () => {
		for (const child of [...webhooks, ...workers]) await child.stop();
		await n8n?.dispose();
		await redis.stop();
		await postgres.stop();
	};
	try {
		n8n = await N8n.create({ line: options.line ?? '2', env: { ...queueModeEnv(postgres, redis), ...(options.env ?? {}) } });
		if (options.mainPort) n8n.port = options.mainPort;
		await options.beforeStart?.(n8n);
		await n8n.start({ timeoutMs: options.startTimeoutMs ?? 240_000 });
		for (const port of options.webhookPorts ?? [0, 0]) {
			webhooks.push(await n8n.startQueueProcess('webhook', { port: port || undefined }));
		}
		for (let i = 0; i < (options.workers ?? 1); i++) workers.push(await n8n.startQueueProcess('worker'));
	} catch (error) {
		await stop();
		throw error;
	}
	return { n8n, webhooks, workers, postgres, redis, stop };
}
