// Browser test harness: runs the real quire binary and drives Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const QUIRE_BIN = process.env.QUIRE_BIN || path.join(ROOT, 'build', 'quire');
export const CHROMIUM = process.env.QUIRE_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.QUIRE_ARTIFACTS || path.join(ROOT, 'build', 'artifacts');

// A missing browser or node_modules is a failure, never a skip: `make test` installs both.
async function loadPlaywright() {
	try {
		return await import('playwright-core');
	} catch (e) {
		throw new Error(`playwright-core is not installed in tests/browser/node_modules (${e.code || e.message}); ` +
			'run scripts/deps.sh test');
	}
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts quire like the python harness: --listen 127.0.0.1:0 (the port comes from its `listening on`
 * line), fresh data dir, --no-demo, cheap password hashing. */
export async function startServer({ demo = false, env = {}, args = [] } = {}) {
	if (!fs.existsSync(QUIRE_BIN))
		throw new Error(`no quire binary at ${QUIRE_BIN} (set QUIRE_BIN or build first)`);
	const data = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-browser-'));
	const logPath = path.join(data, '..', path.basename(data) + '.log');
	const log = fs.openSync(logPath, 'a');
	const argv = ['serve', '--listen', '127.0.0.1:0', '--data', data];
	if (!demo)
		argv.push('--no-demo');
	const proc = spawn(QUIRE_BIN, argv.concat(args), {
		stdio: ['ignore', 'pipe', log],
		env: { ...process.env, QUIRE_PASSWORD_COST: 'min', ...env },
	});
	fs.closeSync(log);
	let exited = null;
	proc.on('exit', (code, signal) => { exited = { code, signal }; });
	const server = {
		port: 0, data, proc, logPath,
		base: '',
		url(p) { return this.base + p; },
		log() {
			try { return fs.readFileSync(logPath, 'utf8').slice(-20000); } catch { return '(no log)'; }
		},
		/** SIGTERM, up to 10 s, then SIGKILL; returns the exit status (0 expected). */
		async stop() {
			if (!exited) {
				proc.kill('SIGTERM');
				for (let i = 0; i < 200 && !exited; i++)
					await sleep(50);
				if (!exited) {
					proc.kill('SIGKILL');
					while (!exited)
						await sleep(50);
					throw new Error('quire did not exit within 10 s of SIGTERM');
				}
			}
			return exited;
		},
		cleanup() {
			fs.rmSync(data, { recursive: true, force: true });
			fs.rmSync(logPath, { force: true });
		},
	};
	// Standard output goes to the log too; its `listening on` line gives the port.
	const port = await new Promise((resolve, reject) => {
		let pending = '';
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`quire printed no \`listening on\` line within 15 s:\n${server.log()}`));
		}, 15000);
		proc.stdout.on('data', (chunk) => {
			fs.appendFileSync(logPath, chunk);
			pending += chunk.toString('utf8');
			let nl;
			while ((nl = pending.indexOf('\n')) >= 0) {
				const line = pending.slice(0, nl);
				pending = pending.slice(nl + 1);
				const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)\/$/.exec(line);
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			}
		});
		proc.on('exit', () => {
			clearTimeout(timer);
			reject(new Error(`quire exited (${JSON.stringify(exited)}) during start-up:\n${server.log()}`));
		});
	});
	server.port = port;
	server.base = `http://127.0.0.1:${port}`;
	return server;
}

/** A fresh headless Chromium profile; returns { context, page, problems, close }.
 * problems collects uncaught page errors and CSP violations, which fail the test. */
/** Clicks selector and waits for the page it leads to. */
export async function clickAndWait(page, selector) {
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/** Signs up name (address name@example.org) with password through the form; the browser is logged in after. */
export async function signUp(page, server, name, password) {
	await page.goto(server.url('/signup'));
	await page.fill('input[name=username]', name);
	await page.fill('input[name=email]', `${name}@example.org`);
	await page.fill('input[name=password]', password);
	await page.fill('input[name=password_confirmation]', password);
	await clickAndWait(page, 'form[action="/signup"] button[type=submit]');
}

export async function logIn(page, server, name, password) {
	await page.goto(server.url('/login'));
	await page.fill('input[name=username]', name);
	await page.fill('input[name=password]', password);
	await clickAndWait(page, 'form[action="/login"] button[type=submit]');
}

export async function logOut(page) {
	await clickAndWait(page, 'form[action="/logout"] button[type=submit]');
}

export async function launchBrowser() {
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (scripts/deps.sh test)`);
	const { chromium } = await loadPlaywright();
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		viewport: { width: 1280, height: 900 },
	});
	context.setDefaultTimeout(15000);
	const page = context.pages()[0] || await context.newPage();
	const problems = [];
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text()))
			problems.push(`console: ${m.text()}`);
	});
	return {
		context, page, problems,
		async close() {
			await context.close().catch(() => {});
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** Saves a full-page screenshot as ARTIFACTS/name and returns its path. A long page's capture is the slowest
 * step of a test and the first to pass 15 s on a machine busy with other work, so it gets a minute: a page
 * that never settles still fails, a slow capture no longer does. */
export async function screenshot(page, name) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const p = path.join(ARTIFACTS, name);
	await page.screenshot({ path: p, fullPage: true, timeout: 60000 });
	return p;
}

/** The path (and query) of the page's current URL. */
export function pathOf(page) {
	const u = new URL(page.url());
	return u.pathname + u.search;
}

export function check(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

const tests = [];

/** Registers a test: fn({ server, browser, page }) gets a fresh server and browser each. */
export function test(name, fn, opts = {}) {
	tests.push({ name, fn, opts });
}

/** Runs the registered tests in order; prints "N passed, M failed"; exits 1 on any failure. */
export async function run() {
	let passed = 0, failed = 0;
	for (const t of tests) {
		const t0 = Date.now();
		let server = null, browser = null;
		try {
			server = await startServer(t.opts.server || {});
			browser = await launchBrowser();
			await t.fn({ server, browser, page: browser.page });
			check(browser.problems.length === 0, `browser reported:\n  ${browser.problems.join('\n  ')}`);
			const st = await server.stop();
			check(st.code === 0, `quire exited with ${JSON.stringify(st)} after SIGTERM (expected 0):\n${server.log()}`);
			passed++;
			console.log(`ok   ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
		} catch (e) {
			failed++;
			console.log(`FAIL ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
			console.log(e && e.stack ? e.stack : String(e));
			if (browser) {
				const shot = await screenshot(browser.page, `fail-${t.name.replace(/\W+/g, '_')}.png`).catch(() => null);
				if (shot)
					console.log(`screenshot: ${shot}`);
			}
			if (server) {
				await server.stop().catch(() => {});
				console.log(`server log:\n${server.log()}`);
			}
		} finally {
			if (browser)
				await browser.close();
			if (server)
				server.cleanup();
		}
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed || tests.length === 0 ? 1 : 0;
}
