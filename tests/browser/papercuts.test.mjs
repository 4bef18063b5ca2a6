// Browser: a new user's papercuts (issue 7) as a person meets them: settings, buttons, help page, icon, bidi.
import { check, clickAndWait, pathOf, run, screenshot, signUp, test } from './lib.mjs';

const PW = 'a perfectly long password';

/** Posts a work through the form; returns its path (without the ?notice= the answer carries). */
async function postWork(page, server, { title, chapterTitle = '', content = 'The first chapter, long enough.' }) {
	await page.goto(server.url('/works/new'));
	await page.selectOption('select[name=rating]', 'General Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await page.fill('input[name=fandoms]', 'Original Work');
	await page.fill('input[name=title]', title);
	await page.fill('input[name=chapter_title]', chapterTitle);
	await page.fill('textarea[name=chapter_content]', content);
	await clickAndWait(page, 'button[name=action][value=post]');
	return new URL(page.url()).pathname;
}

async function addChapter(page, server, work, title) {
	await page.goto(server.url(`${work}/chapters/new`));
	await page.fill('input[name=chapter_title]', title);
	await page.fill('textarea[name=chapter_content]', 'Another chapter, long enough.');
	await clickAndWait(page, 'button[name=action][value=post]');
}

/** The computed background colour of the first element matching selector, as [r, g, b]. */
async function background(page, selector) {
	const css = await page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
	const m = css.match(/rgba?\((\d+), (\d+), (\d+)/);
	check(m, `${selector} has background ${css}`);
	return m.slice(1, 4).map(Number);
}

test('reading settings come back to the exact page and view', async ({ server, page }) => {
	await page.goto(server.url('/works/1?view_full_work=true'));
	const entire = pathOf(page);
	check(entire === '/works/1?view_full_work=true', `the demo work's entire view is at ${entire}`);
	await clickAndWait(page, 'a:has-text("Reading settings")');
	await page.check('input[name=theme][value=dark]');
	await page.check('input[name=font_size][value=l]');
	await screenshot(page, 'papercuts-prefs.png');
	await clickAndWait(page, 'form[action="/prefs"] button[type=submit]');
	check(pathOf(page) === entire, `saving the settings went to ${pathOf(page)}, want ${entire}`);
	const cls = await page.evaluate(() => document.documentElement.className);
	check(cls.includes('theme-dark') && cls.includes('size-l'), `the page is not dark and large: ${cls}`);
	await screenshot(page, 'papercuts-prefs-back.png');
}, { server: { demo: true } });

test('"Post" and "Delete" look different, in both themes', async ({ server, browser, page }) => {
	await signUp(page, server, 'button_tester', PW);
	const work = await postWork(page, server, { title: 'Buttons' });
	for (const theme of ['light', 'dark']) {
		await browser.context.addCookies([{ name: 'quire_prefs', value: `${theme}.m.0`, url: server.base }]);
		await page.goto(server.url('/works/new'));
		const post = await background(page, 'button[name=action][value=post]');
		await page.goto(server.url(`${work}/delete`));
		const del = await background(page, 'form[action$="/delete"] button[type=submit]');
		const distance = Math.hypot(post[0] - del[0], post[1] - del[1], post[2] - del[2]);
		check(distance > 100, `${theme}: Post (${post}) and Delete (${del}) buttons look alike (distance ${distance.toFixed(0)})`);
		const sign = await page.locator('form[action$="/delete"] button[type=submit]')
			.evaluate((el) => getComputedStyle(el, '::before').content);
		check(sign.includes('⚠'), `${theme}: the Delete button has no warning sign (${sign})`);
		await screenshot(page, `papercuts-delete-${theme}.png`);
	}
});

test('/docs/api: headings have § links, and tables scroll on a phone without widening the page', async ({ server, page }) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await page.goto(server.url('/docs/api'));
	const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
	check(overflow <= 0, `the page is ${overflow}px wider than a phone`);
	const boxes = await page.locator('.table-scroll').evaluateAll((els) =>
		els.map((e) => ({ scrolls: e.scrollWidth > e.clientWidth, overflow: getComputedStyle(e).overflowX })));
	check(boxes.length > 0, 'no table boxes on /docs/api');
	check(boxes.every((b) => b.overflow === 'auto'), `table boxes do not scroll: ${JSON.stringify(boxes)}`);
	check(boxes.some((b) => b.scrolls), 'no table is wider than a phone, so nothing shows it scrolls');
	const anchor = page.locator('h2#errors a.anchor');
	check(await anchor.isVisible(), 'the § link of "Errors" is not visible');
	await anchor.click();
	check(new URL(page.url()).hash === '#errors', `the § link went to ${page.url()}`);
	const top = await page.locator('h2#errors').evaluate((h) => h.getBoundingClientRect().top);
	check(top >= 0 && top < 100, `"Errors" is not at the top of the window after its § link (top ${top})`);
	// A link in the text ("see Errors") finds its heading too.
	await page.goto(server.url('/docs/api'));
	await page.locator('a[href="#the-work-object"]').first().click();
	const top2 = await page.locator('#the-work-object').evaluate((h) => h.getBoundingClientRect().top);
	check(top2 >= 0 && top2 < 100, `#the-work-object is not in view after its link (top ${top2})`);
	await page.evaluate(() => window.scrollTo(0, 0));
	await screenshot(page, 'papercuts-docs-phone.png');
});

test('the favicon loads', async ({ server, page }) => {
	await page.goto(server.url('/'));
	const hrefs = await page.locator('link[rel=icon]').evaluateAll((ls) => ls.map((l) => l.href));
	check(hrefs.length > 0, 'no <link rel="icon">');
	for (const href of [...hrefs, server.url('/favicon.ico')]) {
		const r = await page.request.get(href);
		check(r.ok() && (r.headers()['content-type'] || '').startsWith('image/'), `${href}: ${r.status()} ${r.headers()['content-type']}`);
	}
	// The icon as an image in this page: CSP img-src must allow it (lib.mjs fails the test on CSP reports).
	const size = await page.evaluate((src) => new Promise((resolve) => {
		const img = new Image();
		img.onload = () => resolve(img.naturalWidth);
		img.onerror = () => resolve(0);
		img.src = src;
	}), hrefs[0]);
	check(size > 0, `the icon ${hrefs[0]} does not load as an image`);
});

test('titles cannot reorder the text around them', async ({ server, page }) => {
	await signUp(page, server, 'alice', PW);
	// An override character left open in a title would turn "by alice" around, were the title not isolated.
	const work = await postWork(page, server, { title: 'Mirror \u202Etxet', chapterTitle: 'פרק' });
	await addChapter(page, server, work, 'פרק שני');
	await page.goto(server.url('/works'));
	const blurb = page.locator('.blurb-title').first();
	const by = await blurb.locator('.by').boundingBox();
	const author = await blurb.locator('a[rel=author]').boundingBox();
	check(by.x + by.width <= author.x, `"by" is not left of "alice" (by at ${by.x}, alice at ${author.x})`);
	await screenshot(page, 'papercuts-bidi-blurb.png');
	// A right-to-left chapter title followed by a date: the date stays after the title.
	await page.goto(server.url(`${work}/navigate`));
	const items = page.locator('ol.chapter-index li');
	for (let i = 0; i < await items.count(); i++) {
		const link = await items.nth(i).locator('a').boundingBox();
		const date = await items.nth(i).locator('.datetime').boundingBox();
		check(date.x >= link.x + link.width - 1, `chapter ${i + 1}: the date (x ${date.x}) is not after the title (ends at ${link.x + link.width})`);
	}
	await screenshot(page, 'papercuts-bidi-index.png');
});

await run();
