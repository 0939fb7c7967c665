/** What scripts/packages/build-packages.mjs generated (dist/packages/manifest.json), and samples to send. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { signatureFor, type DigestEncoding } from '../support/signer';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const OUTPUT = path.join(REPO_ROOT, 'dist', 'packages');

/** What `npm pack` made of a package. */
export interface Packed {
	tarball: string;
	size: number;
	unpackedSize: number;
	files: string[];
}

export interface SinglePackage extends Packed {
	/** The provider's name, the node's display name without " Trigger". */
	name: string;
	packageName: string;
	displayName: string;
	nodeName: string;
	nodeFile: string;
	credentialName: string;
	credentialDisplayName: string;
	credentialFile: string;
	credentialProperties: Array<{ name: string; type: string; required: boolean; password: boolean }>;
	events: Array<{ name: string; value: string }>;
	compiled: string[];
	assets: string[];
	folder: string;
}

export interface Manifest {
	root: Packed & { name: string; version: string };
	packages: SinglePackage[];
}

export function readManifest(): Manifest {
	const file = path.join(OUTPUT, 'manifest.json');
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:packages\``);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/** How a provider signs, as its compiled facts say (the object with a `signature` scheme). */
export interface SigningFacts {
	signature: { header: string; encodings: string[]; prefix: string };
	rejectionStatus: number;
	eventHeader?: string;
}

/** The signing facts among the modules of the node's own folder, in the generated package. */
export function signingFacts(pkg: SinglePackage): SigningFacts {
	const folder = path.join(REPO_ROOT, pkg.folder, path.dirname(pkg.nodeFile));
	for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.js'))) {
		const exported = require(path.join(folder, file)) as Record<string, unknown>;
		for (const value of Object.values(exported)) {
			const facts = value as Partial<SigningFacts> | undefined;
			if (typeof facts?.signature?.header === 'string' && typeof facts.rejectionStatus === 'number') return facts as SigningFacts;
		}
	}
	throw new Error(`no signing facts in ${folder}`);
}

/** A provider's documented delivery (nodes/<folder>/samples/<event>.json) of its first event that has one. */
export function sampleDelivery(pkg: SinglePackage): { event: string; body: Record<string, unknown> } {
	const dir = path.join(REPO_ROOT, 'nodes', path.basename(path.dirname(pkg.nodeFile)), 'samples');
	for (const { value } of pkg.events) {
		const file = path.join(dir, `${value}.json`);
		if (fs.existsSync(file)) return { event: value, body: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> };
	}
	throw new Error(`no sample delivery for ${pkg.displayName} in ${dir}`);
}

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Credential data for a sample: the signing secret in `webhookSecret` (the shared credential
 * field), and every other required field taken from the body field of the same name where the
 * body carries one (a provider that repeats an account key in its deliveries), else made up.
 */
export function credentialData(pkg: SinglePackage, secret: string, body: Record<string, unknown>): Record<string, string> {
	const data: Record<string, string> = { webhookSecret: secret };
	for (const property of pkg.credentialProperties) {
		if (!property.required || property.name in data || property.type !== 'string') continue;
		const match = Object.keys(body).find((key) => normalise(key) === normalise(property.name));
		data[property.name] = match === undefined ? `${property.name}-value` : String(body[match]);
	}
	return data;
}

/** The headers of a delivery signed with `secret` as the provider signs. */
export function signedHeaders(facts: SigningFacts, secret: string, body: string, event: string): Record<string, string> {
	const format = { encoding: facts.signature.encodings[0] as DigestEncoding, prefix: facts.signature.prefix };
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		[facts.signature.header]: signatureFor(secret, body, format),
	};
	if (facts.eventHeader) headers[facts.eventHeader] = event;
	return headers;
}
