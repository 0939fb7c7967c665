#!/usr/bin/env node
// `npm run bench`: the webhook() microbenchmark, then the end-to-end benchmark on a real n8n, each
// under its own heading. Expects `npm run build` and `tsc -p test/bench/tsconfig.json` to have run
// (the npm script does both). Both wait while another n8n runs (`pgrep -f n8n/bin/n8n`), since
// other test suites on the machine distort the figures; BENCH_NO_WAIT=1 skips the wait.
//
// The microbenchmark runs BENCH_MICRO_RUNS times (5), each in a process of its own, on the Node.js
// running this script and on the one n8n 2.x runs on (installed as for the end-to-end benchmark;
// BENCH_MICRO_NODE24=0 skips it; BENCH_MICRO_ONLY=1 skips the end-to-end benchmark). One process's
// figures for the same code can differ by up to about 1.7× from the next one's (BENCHMARKS.md, "One
// process against the next"), so each row is reported as the median over the processes, with every
// run's figure beside it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const endToEnd = join(root, '.dev-build', 'test', 'bench', 'n8n-throughput.bench.js');

function otherN8n() {
	try {
		return execFileSync('pgrep', ['-f', 'n8n/bin/n8n'], { encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

function waitForNoN8n() {
	if (process.env.BENCH_NO_WAIT === '1') return;
	for (let others = otherN8n(); others !== ''; others = otherN8n()) {
		process.stderr.write(`[bench] another n8n is running (${others.split('\n').join(', ')}); waiting 20 s\n`);
		spawnSync('sleep', ['20']);
	}
}

/**
 * Runs `args` with `nodeBin` and answers its stdout, printing it only if the run fails (and then
 * stopping with its status); stderr is passed on.
 */
function capture(nodeBin, args, env = {}) {
	const result = spawnSync(nodeBin, args, {
		cwd: root,
		stdio: ['inherit', 'pipe', 'inherit'],
		env: { ...process.env, ...env },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		process.stdout.write(result.stdout ?? '');
		process.exit(result.status ?? 1);
	}
	return result.stdout ?? '';
}

/** Runs one benchmark under its heading, passing its output on; answers its stdout. */
function run(title, args, env = {}) {
	process.stdout.write(`\n## ${title}\n\n`);
	const output = capture(process.execPath, args, env);
	process.stdout.write(output);
	return output;
}

const MICRO_RUNS = Number(process.env.BENCH_MICRO_RUNS ?? 5);
const MICRO = 'test/bench/node-webhook.bench.mjs';

/**
 * The microbenchmark MICRO_RUNS times with `nodeBin`: the first run's tables as printed, then one
 * table of every row's ratio over all runs. Answers that table's text.
 */
function microbenchmark(nodeBin, nodeVersion) {
	process.stdout.write(`\n### Node.js ${nodeVersion}\n\n`);
	const outputs = [];
	for (let index = 0; index < MICRO_RUNS; index++) outputs.push(capture(nodeBin, [MICRO]));
	process.stdout.write(`The first of ${MICRO_RUNS} runs:\n\n${outputs[0]}`);
	const ratios = new Map();
	for (const output of outputs) {
		for (const [size, trigger, , , ratio] of rows(output, (cells) => cells.length === 5 && cells[4].endsWith('×'))) {
			const key = `${size} | ${trigger}`;
			if (!ratios.has(key)) ratios.set(key, []);
			ratios.get(key).push(Number.parseFloat(ratio));
		}
	}
	const lines = [
		'',
		`All ${MICRO_RUNS} runs, each in a process of its own: webhook() over the bare HMAC-SHA256, per row.`,
		'',
		'| body | trigger | median of the runs | each run |',
		'| --- | --- | --- | --- |',
	];
	for (const [key, figures] of ratios) {
		const sorted = [...figures].sort((a, b) => a - b);
		const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
		lines.push(`| ${key} | ${median.toFixed(2)}× | ${figures.map((figure) => `${figure.toFixed(2)}×`).join(', ')} |`);
	}
	const table = `${lines.join('\n')}\n`;
	process.stdout.write(table);
	return table;
}

/** The cells of the Markdown table rows in `text` that `predicate` keeps. */
function rows(text, predicate) {
	return text
		.split('\n')
		.filter((line) => line.startsWith('| '))
		.map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim()))
		.filter(predicate);
}

/** One table of the goals, from the two benchmarks' own tables (the end-to-end one per engine). */
function summary(micro, endToEnd) {
	const lines = ['', '## Summary: the goals', '', '| goal | measured | met |', '| --- | --- | --- |'];
	let engine = '';
	for (const line of endToEnd.split('\n')) {
		const heading = /^### Engine: (.+)$/.exec(line);
		if (heading) engine = heading[1];
		const [cells] = rows(line, (row) => row.length === 5 && row[2].startsWith('≥'));
		if (!cells) continue;
		const [label, value, goal, met] = cells;
		lines.push(`| ${engine ? `${engine}: ` : ''}${label}: ${goal} | ${value} | ${met} |`);
	}
	// Every JSON path within 1.5× the bare HMAC at 1 MB; the XML path within 5× at 64 KB and 1 MB: the
	// median over the runs, and how many runs were within. The reference row (JSON.parse of the XML
	// item, not a trigger) has no goal.
	for (const [nodeVersion, table] of micro) {
		for (const [size, trigger, median, each] of rows(table, (cells) => cells.length === 4 && /^(64\.\d KB|1\.0 MB)$/.test(cells[0]) && !cells[1].startsWith('Reference:'))) {
			const xml = trigger.includes('(XML)');
			if (!xml && size !== '1.0 MB') continue;
			const goal = xml ? 5 : 1.5;
			const runs = each.split(', ').map((figure) => Number.parseFloat(figure));
			const within = runs.filter((figure) => figure <= goal).length;
			const measured = `${median}, median of ${runs.length} runs (${within} within)`;
			lines.push(`| Node.js ${nodeVersion}: webhook() at ${size}, ${trigger}: ≤ ${goal}× the bare HMAC | ${measured} | ${Number.parseFloat(median) <= goal ? 'yes' : 'no'} |`);
		}
	}
	return `${lines.join('\n')}\n`;
}

if (!existsSync(endToEnd)) {
	process.stderr.write('Run `tsc -p test/bench/tsconfig.json` first (`npm run bench` does).\n');
	process.exit(2);
}

waitForNoN8n();
process.stdout.write('\n## webhook() microbenchmark: the built package in-process, against the bare HMAC-SHA256\n');
const micro = [[process.versions.node, microbenchmark(process.execPath, process.versions.node)]];
if (process.env.BENCH_MICRO_NODE24 !== '0') {
	// The Node.js n8n 2.x runs on, as the end-to-end benchmark installs it (the harness, compiled into
	// .dev-build/, is told where the repository is).
	process.env.SITE_WEBHOOKS_REPO_ROOT ??= root;
	const { ensureN8nInstalled } = await import(join(root, '.dev-build', 'scripts', 'n8n', 'n8n.js'));
	const { nodeBin, nodeVersion } = await ensureN8nInstalled('2');
	const version = nodeVersion.replace(/^v/, '');
	if (version !== process.versions.node) micro.push([version, microbenchmark(nodeBin, version)]);
}
run("Sitemap.xml's XML reader: the body shapes a long-running n8n reads one after another", ['test/bench/xml-reader.bench.mjs']);
// The package was just built: the end-to-end benchmark packs it without building again.
// BENCH_MICRO_ONLY=1: the microbenchmarks only.
const measured =
	process.env.BENCH_MICRO_ONLY === '1'
		? ''
		: run('End-to-end on a real n8n: deliveries per second over HTTP', [endToEnd], { N8N_E2E_SKIP_BUILD: '1' });
process.stdout.write(summary(micro, measured));
