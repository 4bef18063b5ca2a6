// Browser: a whole gift exchange through the forms. A moderator creates it with a tag set; twelve users sign up;
// matching assigns everyone; one defaults and a pinch hitter takes it; the gifts are posted into the unrevealed
// anonymous collection; nothing leaks before the reveal; afterwards every page shows the right creators and
// recipients.
import { spawnSync } from 'node:child_process';
import { check, clickAndWait, logIn, logOut, pathOf, QUIRE_BIN, run, screenshot, signUp, test } from './lib.mjs';

const PW = 'yule log 2026';
const FANDOMS = ['Harbour Street', 'Lantern Hill', 'Quiet River', 'Paper Moon'];
const ELVES = Array.from({ length: 12 }, (_, i) => `elf_${String(i + 1).padStart(2, '0')}`);

/** An account made with `quire user add`, then logged in through the form. Fifteen sign-ups from one address in a
 * day would be held as spam (archive/spam.h), so only the moderator's and the outsider's go through /signup. */
async function addAndLogIn(page, server, name) {
	const add = spawnSync(QUIRE_BIN, ['user', 'add', name, `${name}@example.org`, '--data', server.data],
		{ input: `${PW}\n`, env: { ...process.env, QUIRE_PASSWORD_COST: 'min' } });
	check(add.status === 0, `quire user add ${name}: ${add.stderr}`);
	await logIn(page, server, name, PW);
}

async function bodyText(page) {
	return (await page.textContent('body')).replace(/\s+/g, ' ');
}

/** The HTML a visitor gets (status, text) without the browser's cookies: a guest's or an outsider's view. */
async function fetchAs(page, url, cookieHeader = '') {
	const r = await page.request.get(url, { headers: cookieHeader ? { cookie: cookieHeader } : {}, maxRedirects: 0 });
	return { status: r.status(), text: await r.text() };
}

test('a whole gift exchange, from sign-ups to the reveal', async ({ server, browser, page }) => {
	const url = (p) => server.url(p);

	// The moderator creates the exchange: unrevealed, anonymous, a gift exchange.
	await signUp(page, server, 'yule_mod', PW);
	await page.goto(url('/collections/new'));
	await page.fill('input[name=name]', 'yule');
	await page.fill('input[name=title]', 'Yule Swap');
	await page.fill('textarea[name=description]', 'Small fandoms, big hearts.');
	await page.check('input[name=unrevealed]');
	await page.check('input[name=anonymous]');
	await page.check('input[name=challenge][value=gift_exchange]');
	await clickAndWait(page, 'form.collection-form button[type=submit]');
	check(pathOf(page) === '/collections/yule?notice=created', `after creating: ${pathOf(page)}`);

	// Its tag set and sign-up rules.
	await page.goto(url('/collections/yule/exchange'));
	await page.check('input[name=signups_open]');
	await page.fill('input[name=assignments_due_at]', '2030-12-18 12:00');
	await page.fill('input[name=requests_max]', '2');
	await page.fill('input[name=offers_max]', '2');
	await page.fill('textarea[name=tag_set_fandoms]', FANDOMS.join('\n'));
	await page.fill('textarea[name=tag_set_characters]', 'Maya Ortiz, Theo Baptiste, Ada Lind');
	await page.fill('textarea[name=instructions]', 'Ask for what you love; offer what you would enjoy writing.');
	await screenshot(page, 'exchange-settings.png');
	await clickAndWait(page, 'form.exchange-form button[type=submit]');
	check((await bodyText(page)).includes('The exchange\'s settings were saved.'), 'settings not saved');
	await logOut(page);

	// Twelve sign-ups through the form: elf i offers fandom i % 4 and requests fandom (i + 1) % 4.
	for (let i = 0; i < ELVES.length; i++) {
		await addAndLogIn(page, server, ELVES[i]);
		await page.goto(url('/collections/yule/signup'));
		await page.fill('input[name=request_1_fandoms]', FANDOMS[(i + 1) % 4]);
		await page.fill('input[name=request_1_characters]', 'Maya Ortiz');
		await page.fill('textarea[name=request_1_description]', `A winter story, please (from ${ELVES[i]}).`);
		await page.fill('input[name=offer_1_fandoms]', FANDOMS[i % 4]);
		await page.check('input[name=offer_1_any_characters]');
		if (i === 0)
			await screenshot(page, 'exchange-signup.png');
		await clickAndWait(page, 'form.signup-form button[type=submit]');
		check((await bodyText(page)).includes('Your sign-up was saved.'), `${ELVES[i]}: sign-up not saved: ${(await bodyText(page)).slice(0, 400)}`);
		await logOut(page);
	}

	// Matching assigns everyone; the moderator sends the assignments.
	await logIn(page, server, 'yule_mod', PW);
	await page.goto(url('/collections/yule/signups'));
	for (const e of ELVES)
		check((await bodyText(page)).includes(e), `sign-ups list lacks ${e}`);
	await page.goto(url('/collections/yule/matching'));
	await clickAndWait(page, 'form[action="/collections/yule/matching"] button[type=submit]');
	let text = await bodyText(page);
	check(text.includes('12 sign-ups: 12 matched, 0 without a giver'), `matching report: ${text.slice(0, 600)}`);
	check(text.includes('12 with a giver (12 whose offers meet the requests), 0 without'), 'not everyone is matched');
	await screenshot(page, 'exchange-matching.png');
	await clickAndWait(page, 'form[action="/collections/yule/assignments/send"] button[type=submit]');
	check((await bodyText(page)).includes('The assignments were sent to their givers.'), 'not sent');
	await logOut(page);

	// elf_01 reads the assignment in the inbox, then defaults.
	await logIn(page, server, ELVES[0], PW);
	await page.goto(url('/inbox'));
	await clickAndWait(page, 'a:has-text("Your assignment in Yule Swap")');
	const defaulted = pathOf(page);
	check(/^\/collections\/yule\/assignments\/\d+$/.test(defaulted), `inbox link went to ${defaulted}`);
	check((await bodyText(page)).includes('A winter story, please'), 'the recipient\'s prompt is not shown');
	await clickAndWait(page, `form[action="${defaulted}/default"] button[type=submit]`);
	check((await bodyText(page)).includes('You defaulted on the assignment'), 'no default notice');
	await logOut(page);

	// A pinch hitter joins and takes it.
	await addAndLogIn(page, server, 'pinch_hitter');
	await page.goto(url('/collections/yule'));
	await clickAndWait(page, 'form[action="/collections/yule/join"] button[type=submit]');
	await page.goto(url('/collections/yule/assignments'));
	check((await bodyText(page)).includes('open pinch hit'), 'the pinch hit is not listed');
	await clickAndWait(page, `a[href="${defaulted}"]`);
	await clickAndWait(page, `form[action="${defaulted}/claim"] button[type=submit]`);
	check((await bodyText(page)).includes('The pinch hit is yours'), 'the pinch hit was not taken');
	await logOut(page);

	// Every giver posts the gift from the assignment page: into the collection, to the recipient.
	const givers = [...ELVES.slice(1), 'pinch_hitter'];
	const gifts = []; // {title, giver, recipient, path}
	for (const g of givers) {
		await logIn(page, server, g, PW);
		await page.goto(url('/users/' + g + '/assignments'));
		const links = await page.locator('table.assignments a[href^="/collections/yule/assignments/"]').all();
		check(links.length === 1, `${g} has ${links.length} assignments`);
		await clickAndWait(page, 'table.assignments a[href^="/collections/yule/assignments/"]');
		const recipient = (await page.textContent('main p:has-text("A gift for") a')).trim();
		await clickAndWait(page, 'a:has-text("Post the gift")');
		check((await page.inputValue('input[name=collections]')) === 'yule', 'the collection is not filled in');
		check((await page.inputValue('input[name=gifts]')) === recipient, 'the recipient is not filled in');
		const title = `Snow for ${recipient}`;
		await page.selectOption('select[name=rating]', 'General Audiences');
		await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
		await page.fill('input[name=fandoms]', FANDOMS[(ELVES.indexOf(recipient) + 1) % 4]);
		await page.fill('input[name=title]', title);
		await page.selectOption('select[name=chapter_format]', 'text');
		await page.fill('textarea[name=chapter_content]', `The snow came early this year, ${recipient}. Written by ${g}.`);
		await clickAndWait(page, 'button[name=action][value=post]');
		const path = new URL(page.url()).pathname;
		check(/^\/works\/\d+$/.test(path), `${g} posted to ${pathOf(page)}`);
		gifts.push({ title, giver: g, recipient, path });
		await logOut(page);
	}

	// Nothing leaks before the reveal: not to a guest, not to another reader, not to the recipients.
	const outsider = await signUp(page, server, 'nosy_reader', PW).then(async () => {
		const cookies = await browser.context.cookies();
		return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
	});
	await logOut(page);
	const views = { guest: '', outsider };
	for (const [who, cookie] of Object.entries(views)) {
		for (const p of ['/works', '/collections/yule', '/collections/yule/works', '/search?q=snow', '/opds/works',
			'/api/v1/works', '/api/v1/collections/yule/works']) {
			const r = await fetchAs(page, url(p), cookie);
			for (const gi of gifts)
				check(!r.text.includes(gi.title), `${who}: ${p} shows ${gi.title} before the reveal`);
		}
		for (const gi of gifts) {
			const r = await fetchAs(page, url(gi.path), cookie);
			check(r.status === 404, `${who}: ${gi.path} answers ${r.status} before the reveal`);
			const a = await fetchAs(page, url(`/users/${gi.giver}`), cookie);
			check(!a.text.includes(gi.title), `${who}: the giver's page shows the gift`);
			const g = await fetchAs(page, url(`/users/${gi.recipient}/gifts`), cookie);
			check(!g.text.includes(gi.title), `${who}: the recipient's gifts page shows it`);
		}
	}
	await logIn(page, server, gifts[0].recipient, PW);
	await page.goto(url('/inbox'));
	check(!(await bodyText(page)).includes('A gift for you'), 'a recipient was told before the reveal');
	await logOut(page);

	// The reveal, works and creators: every page shows the right creators and recipients.
	await logIn(page, server, 'yule_mod', PW);
	await page.goto(url('/collections/yule'));
	await clickAndWait(page, 'form.reveal button[value=both]');
	await logOut(page);
	await browser.context.clearCookies();
	await page.goto(url('/collections/yule/works'));
	text = await bodyText(page);
	for (const gi of gifts)
		check(text.includes(gi.title), `the collection does not list ${gi.title} after the reveal`);
	for (const gi of gifts) {
		await page.goto(url(gi.path));
		text = await bodyText(page);
		check(text.includes(`by ${gi.giver}`), `${gi.path}: not credited to ${gi.giver}: ${text.slice(0, 400)}`);
		check(text.includes(`for ${gi.recipient}`), `${gi.path}: not a gift for ${gi.recipient}`);
		check(text.includes('Yule Swap'), `${gi.path}: the collection is not named`);
		await page.goto(url(`/users/${gi.recipient}/gifts`));
		check((await bodyText(page)).includes(gi.title), `${gi.recipient}'s gifts page lacks ${gi.title}`);
		await page.goto(url(`/users/${gi.giver}`));
		check((await bodyText(page)).includes(gi.title), `${gi.giver}'s page lacks ${gi.title}`);
	}
	await screenshot(page, 'exchange-revealed.png');
	await logIn(page, server, gifts[3].recipient, PW);
	await page.goto(url('/inbox'));
	check((await bodyText(page)).includes(`A gift for you: ${gifts[3].title}`), 'the recipient was not told at the reveal');
});

await run();
