// Browser: a person signs up through the form, sees the account page, logs out and logs in again.
import { check, pathOf, run, screenshot, test } from './lib.mjs';

const NAME = 'ada_lovelace';
const EMAIL = 'ada@example.org';
const PW = 'analytical engine 1843';

/** Clicks the submit control of the form matching formSelector and waits for the page that answers. */
async function submit(page, formSelector) {
	const form = page.locator(formSelector).first();
	await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }),
		form.locator('button[type=submit], input[type=submit], button:not([type])').first().click(),
	]);
}

async function expectLoggedIn(page, server) {
	const resp = await page.goto(server.url('/account'));
	check(resp.status() === 200, `GET /account answered ${resp.status()}`);
	check(pathOf(page) === '/account', `GET /account ended at ${pathOf(page)}`);
	const text = await page.textContent('body');
	check(text.includes(NAME), `account page does not show ${NAME}`);
}

test('sign up, account page, log out, log in', async ({ server, browser, page }) => {
	const resp = await page.goto(server.url('/signup'));
	check(resp.status() === 200, `GET /signup answered ${resp.status()}`);
	check((await page.title()).includes('Quire') || (await page.textContent('body')).includes('Quire'),
		'signup page does not mention Quire');
	await page.fill('input[name=username]', NAME);
	await page.fill('input[name=email]', EMAIL);
	await page.fill('input[name=password]', PW);
	await page.fill('input[name=password_confirmation]', PW);
	await screenshot(page, 'signup.png');
	await submit(page, 'form:has(input[name=username])');
	check(['/account', '/'].includes(new URL(page.url()).pathname), `after sign-up the browser is at ${pathOf(page)}`);

	const cookies = await browser.context.cookies(server.base);
	const session = cookies.find((c) => c.name === 'quire_session');
	check(session, `no quire_session cookie after sign-up (have: ${cookies.map((c) => c.name).join(', ')})`);
	check(session.httpOnly, 'quire_session is readable by scripts (not HttpOnly)');
	check(session.sameSite === 'Lax', `quire_session SameSite is ${session.sameSite}`);
	check(!(await page.evaluate(() => document.cookie)).includes('quire_session'), 'document.cookie shows the session');

	await expectLoggedIn(page, server);
	await screenshot(page, 'account.png');

	await submit(page, 'form[action="/logout"]');
	await page.goto(server.url('/account'));
	check(pathOf(page).startsWith('/login'), `after log-out /account shows ${pathOf(page)}, want /login`);

	await page.goto(server.url('/login'));
	await page.fill('input[name=username]', NAME);
	await page.fill('input[name=password]', PW);
	await screenshot(page, 'login.png');
	await submit(page, 'form:has(input[name=username])');
	await expectLoggedIn(page, server);
});

test('a rejected sign-up keeps what was typed except the password', async ({ server, page }) => {
	await page.goto(server.url('/signup'));
	// A mismatched confirmation: an error only the server can find (HTML attributes may catch others first).
	await page.fill('input[name=username]', 'ada_two');
	await page.fill('input[name=email]', 'someone@example.org');
	await page.fill('input[name=password]', 'secret pw 12345');
	await page.fill('input[name=password_confirmation]', 'secret pw 54321');
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/signup') && r.request().method() === 'POST'),
		submit(page, 'form:has(input[name=username])'),
	]);
	check(resp.status() === 422, `rejected sign-up answered ${resp.status()}`);
	check(await page.inputValue('input[name=username]') === 'ada_two', 'username not kept');
	check(await page.inputValue('input[name=email]') === 'someone@example.org', 'e-mail not kept');
	check(await page.inputValue('input[name=password]') === '', 'password echoed back into the form');
	check(await page.inputValue('input[name=password_confirmation]') === '', 'confirmation echoed back');
	const html = await page.content();
	check(!html.includes('secret pw 12345') && !html.includes('secret pw 54321'), 'password appears in the page');
	const cookies = await page.context().cookies(server.base);
	check(!cookies.some((c) => c.name === 'quire_session'), 'a rejected sign-up set a session');
});

test('a wrong password shows the login form with an error', async ({ server, page }) => {
	await page.goto(server.url('/login'));
	await page.fill('input[name=username]', 'nobody_here');
	await page.fill('input[name=password]', 'not a password 1');
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
		submit(page, 'form:has(input[name=username])'),
	]);
	check(resp.status() === 401, `wrong password answered ${resp.status()}`);
	check(await page.locator('input[name=password]').count() === 1, 'no login form after a wrong password');
	const text = (await page.textContent('body')).toLowerCase();
	check(/incorrect|invalid|wrong|did ?n[o']t match|does not match|not recogni[sz]ed/.test(text),
		'no error message after a wrong password');
});

await run();
