#!/usr/bin/env node
// Does a forged signature that differs at its first byte cost the same as one that differs at its
// last byte? Measures verifySignature() from the built package over many interleaved batches and
// reports the two distributions and Welch's t statistic. A report, not a pass/fail test.
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { verifySignature } = require('../../dist/nodes/shared/SignatureVerifier.js');

const BATCHES = Number(process.env.TIMING_BATCHES ?? 4000);
const PER_BATCH = Number(process.env.TIMING_PER_BATCH ?? 50);
const scheme = { header: 'x-signature', encodings: ['hex'], prefix: 'sha256=' };
const secret = 'timing-check-secret';
const body = Buffer.from(JSON.stringify({ event: 'job.created', data: 'x'.repeat(1000) }));
const digest = createHmac('sha256', secret).update(body).digest('hex');
const flip = (hex, index) => hex.slice(0, index) + (hex[index] === '0' ? '1' : '0') + hex.slice(index + 1);
const variants = {
	'first byte wrong': `sha256=${flip(digest, 0)}`,
	'last byte wrong': `sha256=${flip(digest, digest.length - 1)}`,
	'all bytes wrong': `sha256=${[...digest].map((c) => (c === '0' ? '1' : '0')).join('')}`,
};

function batch(header) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < PER_BATCH; i++) {
		if (verifySignature(body, header, [secret], scheme).verified) throw new Error('forged signature accepted');
	}
	return Number(process.hrtime.bigint() - start) / PER_BATCH;
}

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let i = 0; i < 200; i++) for (const header of Object.values(variants)) batch(header); // warm-up
for (let i = 0; i < BATCHES; i++) {
	// Interleaved, in a rotating order, so drift and GC hit every variant alike.
	const names = Object.keys(variants);
	for (let k = 0; k < names.length; k++) {
		const name = names[(i + k) % names.length];
		samples[name].push(batch(variants[name]));
	}
}

const stats = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mean = values.reduce((s, v) => s + v, 0) / values.length;
	const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
	const q = (p) => sorted[Math.floor(p * (sorted.length - 1))];
	return { mean, sd: Math.sqrt(variance), median: q(0.5), p10: q(0.1), p90: q(0.9), n: values.length };
};
const welch = (a, b) => (a.mean - b.mean) / Math.sqrt(a.sd ** 2 / a.n + b.sd ** 2 / b.n);

console.log(`verifySignature() on a ${body.length}-byte body, ${BATCHES} batches of ${PER_BATCH} calls per variant (ns per call)`);
console.log('| forged signature | median | p10 | p90 | mean | sd |');
console.log('| --- | --- | --- | --- | --- | --- |');
const summary = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, stats(values)]));
for (const [name, s] of Object.entries(summary)) {
	console.log(`| ${name} | ${s.median.toFixed(0)} | ${s.p10.toFixed(0)} | ${s.p90.toFixed(0)} | ${s.mean.toFixed(0)} | ${s.sd.toFixed(0)} |`);
}
const first = summary['first byte wrong'];
const last = summary['last byte wrong'];
const relative = ((last.median - first.median) / first.median) * 100;
console.log(
	`\nfirst vs last byte: median difference ${(last.median - first.median).toFixed(1)} ns (${relative.toFixed(2)}%), Welch t = ${welch(first, last).toFixed(2)} (|t| < 3 reads as no difference beyond noise)`,
);
