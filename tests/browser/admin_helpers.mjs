// Helpers for the browser tests of running a community (issue 14): accounts with roles through the CLI, works and
// JSON through the API, pages fetched without the browser (as a guest), and axe-core over a list of pages.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { check, QUIRE_BIN, screenshot } from './lib.mjs';

export const PW = 'a long password 14';

/** Creates an account (any role) with `quire user add` and returns its API token. */
export function addUser(server, name, role = 'user') {
	const add = spawnSync(QUIRE_BIN, ['user', 'add', name, `${name}@example.org`, '--role', role, '--data', server.data],
		{ input: `${PW}\n`, env: { ...process.env, QUIRE_PASSWORD_COST: 'min' } });
	check(add.status === 0, `quire user add ${name}: ${add.stderr}`);
	const tok = spawnSync(QUIRE_BIN, ['token', 'add', name, '--data', server.data]);
	check(tok.status === 0, `quire token add ${name}: ${tok.stderr}`);
	return tok.stdout.toString().trim();
}

/** A JSON API call; returns { status, json, text }. */
export async function api(server, method, path, body, token) {
	const headers = { Accept: 'application/json' };
	if (token)
		headers.Authorization = `Bearer ${token}`;
	if (body !== undefined)
		headers['Content-Type'] = 'application/json';
	const r = await fetch(server.url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await r.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: r.status, json, text };
}

/** Posts a work through the API; returns its JSON. */
export async function postWork(server, token, fields) {
	const body = {
		title: 'Untitled', rating: 'General Audiences', warnings: ['No Archive Warnings Apply'], categories: [],
		fandoms: ['Saltmarsh Tales'], relationships: [], characters: [], freeforms: [], language: 'English',
		complete: false, restricted: false,
		chapter: { content: 'Nothing much happens in this chapter at all, which is restful.', format: 'text' },
		...fields,
	};
	const r = await api(server, 'POST', '/api/v1/works', body, token);
	check(r.status === 201, `POST /api/v1/works answered ${r.status}: ${r.text}`);
	return r.json;
}

/** A page as a guest sees it (no cookies): { status, text }. */
export async function guestGet(server, path) {
	const r = await fetch(server.url(path), { redirect: 'manual' });
	return { status: r.status, text: await r.text(), cache: r.headers.get('x-cache') };
}

export async function bodyText(page) {
	return (await page.textContent('body')).replace(/\s+/g, ' ');
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const FAILING_RULES = new Set(['heading-order']);

/** axe-core's violations on the current page (loaded over DevTools: the page's CSP refuses inline scripts). */
export async function axe(page) {
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(AXE_SOURCE);
	return page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.any[0] ? ` (${n.any[0].message})` : ''}`),
		}));
	});
}

/** Runs axe on each [name, path or async (page, server) => void] in the light and the dark theme; adds failing
 * violations (serious, critical, heading-order) to failures. */
export async function axePages({ server, browser, page }, list, who, failures) {
	for (const theme of ['light', 'dark']) {
		await browser.context.addCookies([{ name: 'quire_prefs', value: `${theme}.m.0`, url: server.base }]);
		for (const [name, how] of list) {
			if (typeof how === 'string')
				await page.goto(server.url(how));
			else
				await how(page, server);
			const cls = await page.evaluate(() => document.documentElement.className);
			check(cls.includes(`theme-${theme}`), `${name}: the page is not in the ${theme} theme (${cls})`);
			await screenshot(page, `axe-admin-${theme}-${name}.png`);
			for (const v of await axe(page)) {
				const line = `${theme} ${who} ${name} (${page.url()}): ${v.impact} ${v.id}: ${v.help}\n      ` +
					v.nodes.slice(0, 8).join('\n      ');
				if (FAILING_IMPACTS.has(v.impact) || FAILING_RULES.has(v.id))
					failures.push(line);
				else
					console.log(`note: ${line}`);
			}
		}
	}
}
