/**
 * What the editor should show for each trigger, taken from the one provider list (node
 * descriptions, provider facts, codex files and credentials of every provider package.json
 * declares) so that the browser test has no second copy of any of it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { REPO_ROOT } from '../../scripts/n8n/n8n';
import { PACKAGE_NAME } from '../../scripts/n8n/workflows';
import { PROVIDERS } from '../support/providers';

export interface CredentialField {
	name: string;
	displayName: string;
	required: boolean;
	password: boolean;
}

export interface TriggerUnderTest {
	/** The folder under nodes/, e.g. "Sitemark". */
	provider: string;
	/** The node's display name, e.g. "Sitemark Trigger". */
	displayName: string;
	/** The node's type name without the package prefix, e.g. "sitemarkTrigger". */
	nodeName: string;
	/** Event display names from the provider's facts, in their order. */
	events: string[];
	/** Aliases from the codex file: n8n's node search matches them too. */
	aliases: string[];
	/** Paths the editor may load the node's icon from (light and dark theme). */
	iconPaths: string[];
	credential: {
		name: string;
		displayName: string;
		documentationUrl: string;
		fields: CredentialField[];
	};
}

/** `file:sitemark.svg` in nodes/Sitemark/ → `/icons/<package>/dist/nodes/Sitemark/sitemark.svg`. */
function iconPath(provider: string, icon: string): string {
	if (!icon.startsWith('file:')) throw new Error(`${provider}: expected a file icon, found ${icon}`);
	return `/icons/${PACKAGE_NAME}/dist/nodes/${provider}/${icon.slice('file:'.length)}`;
}

function describeTrigger(
	provider: string,
	node: INodeType,
	events: ReadonlyArray<{ name: string }>,
	credential: ICredentialType,
): TriggerUnderTest {
	const { description } = node;
	const icons = typeof description.icon === 'object' ? [description.icon.light, description.icon.dark] : [description.icon];
	const codex = JSON.parse(fs.readFileSync(codexFileOf(provider), 'utf8')) as { alias?: string[] };
	if (!credential.documentationUrl) throw new Error(`${credential.name} has no documentationUrl`);
	return {
		provider,
		displayName: description.displayName,
		nodeName: description.name,
		events: events.map((event) => event.name),
		aliases: codex.alias ?? [],
		iconPaths: icons.filter((icon): icon is NonNullable<typeof icon> => typeof icon === 'string').map((icon) => iconPath(provider, icon)),
		credential: {
			name: credential.name,
			displayName: credential.displayName,
			documentationUrl: credential.documentationUrl,
			fields: credential.properties.map((property) => ({
				name: property.name,
				displayName: property.displayName,
				required: property.required === true,
				password: property.typeOptions?.password === true,
			})),
		},
	};
}

/** The one codex file (`*.node.json`) in nodes/<provider>/. */
function codexFileOf(provider: string): string {
	const folder = path.join(REPO_ROOT, 'nodes', provider);
	const [file, ...more] = fs.readdirSync(folder).filter((name) => name.endsWith('.node.json'));
	if (!file || more.length > 0) throw new Error(`expected one codex file in ${folder}`);
	return path.join(folder, file);
}

/** Every trigger the package declares (package.json's `n8n` block). */
export const TRIGGERS: TriggerUnderTest[] = PROVIDERS.map((provider) =>
	describeTrigger(provider.folder, provider.node(), provider.facts.events, provider.credential),
);
