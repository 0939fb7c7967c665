/** The part of autocannon's programmatic API the end-to-end benchmark uses (autocannon ships no types). */
declare module 'autocannon' {
	import type { EventEmitter } from 'node:events';

	namespace autocannon {
		interface Options {
			url: string;
			method?: string;
			headers?: Record<string, string>;
			body?: string | Buffer;
			connections?: number;
			pipelining?: number;
			/** Seconds. */
			duration?: number;
			/** Seconds before a request counts as timed out. */
			timeout?: number;
		}

		interface Result {
			/** Seconds the run lasted. */
			duration: number;
			errors: number;
			timeouts: number;
			non2xx: number;
			statusCodeStats: Record<string, { count: number }>;
			requests: { total: number; sent: number; average: number };
		}

		interface Instance extends EventEmitter, PromiseLike<Result> {
			stop(): void;
			on(
				event: 'response',
				listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void,
			): this;
			on(event: string, listener: (...args: unknown[]) => void): this;
		}
	}

	function autocannon(options: autocannon.Options): autocannon.Instance;

	export = autocannon;
}
