// Browser: axe-core checks every page family, in the light and the dark theme, as a guest, as an author and as a
// reader (the reader's response: inbox, comments, kudos, bookmarks, history, statistics).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { check, clickAndWait, logIn, logOut, pathOf, QUIRE_BIN, run, screenshot, signUp, test } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// Serious and critical violations fail, and so does heading-order (moderate), which issue 7 names.
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const FAILING_RULES = new Set(['heading-order']);

const NAME = 'axe_author';
const READER = 'axe_reader';
const PW = 'contrast ratio 4.5';

/** Loads axe into the page. page.addScriptTag({path}) adds an inline script, which the page's CSP
 * (script-src 'self') refuses, so the source is evaluated over DevTools, which CSP does not govern. */
async function injectAxe(page) {
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(AXE_SOURCE);
	check(await page.evaluate(() => typeof window.axe === 'object'), 'axe-core did not load');
}

/** Runs axe on the current page; returns its violations as {id, impact, help, nodes: [target…]}. */
async function axe(page) {
	await injectAxe(page);
	return page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.any[0] ? ` (${n.any[0].message})` : ''}`),
		}));
	});
}

async function setTheme(browser, server, theme) {
	await browser.context.addCookies([{ name: 'quire_prefs', value: `${theme}.m.0`, url: server.base }]);
}

/** Signs up the author and posts a two-chapter work through the forms; returns its path. */
async function makeAuthorAndWork(page, server) {
	await page.goto(server.url('/signup'));
	await page.fill('input[name=username]', NAME);
	await page.fill('input[name=email]', 'axe@example.org');
	await page.fill('input[name=password]', PW);
	await page.fill('input[name=password_confirmation]', PW);
	await clickAndWait(page, 'form[action="/signup"] button[type=submit]');
	await page.goto(server.url('/works/new'));
	await page.selectOption('select[name=rating]', 'General Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await page.fill('input[name=fandoms]', 'Original Work');
	await page.fill('input[name=freeforms]', 'Accessibility, Colour');
	await page.fill('input[name=title]', 'Contrast');
	await page.fill('textarea[name=summary]', 'A work that axe reads.');
	await page.fill('textarea[name=notes]', 'Beginning notes.');
	await page.fill('textarea[name=end_notes]', 'End notes.');
	await page.fill('input[name=chapter_title]', 'Light');
	await page.fill('textarea[name=chapter_content]', 'The first chapter, long enough to count.');
	await clickAndWait(page, 'button[name=action][value=post]');
	const work = new URL(page.url()).pathname;
	check(/^\/works\/\d+$/.test(work), `after posting the browser is at ${pathOf(page)}`);
	await page.goto(server.url(`${work}/chapters/new`));
	await page.fill('input[name=chapter_title]', 'Dark');
	await page.fill('textarea[name=chapter_summary]', 'The second chapter.');
	await page.fill('textarea[name=chapter_content]', 'The second chapter, long enough to count too.');
	await clickAndWait(page, 'button[name=action][value=post]');
	return work;
}

/** The reader's response, for its page families: the author (logged in) comments on the demo chapter, leaves
 * kudos, bookmarks the demo work and marks it for later; a reader subscribes to the author's work, comments
 * on it and replies to the author's comment; the author posts a third chapter (news in the reader's inbox).
 * Ends with the author logged in. */
async function makeResponses(page, server, work, chapter, demoWork, demoChapter) {
	await page.goto(server.url(demoChapter));
	await page.fill('#comment-body', 'Axe reads this comment, with <em>emphasis</em>.');
	await clickAndWait(page, '#add-comment button[type=submit]');
	await clickAndWait(page, '.kudos form button.kudos-button >> nth=0');
	await page.goto(server.url(`${demoWork}/bookmark`));
	await page.fill('textarea[name=notes]', 'Notes for axe.');
	await page.fill('input[name=tags]', 'contrast, colour');
	await page.check('input[name=rec]');
	await clickAndWait(page, 'form.bookmark-form button[type=submit]');
	await page.goto(server.url(demoChapter));
	await clickAndWait(page, 'form[action$="/later"] button[type=submit]');
	await logOut(page);

	await signUp(page, server, READER, PW);
	await page.goto(server.url(work));
	await clickAndWait(page, 'form[action="/subscriptions"] button[type=submit] >> nth=0');
	await page.goto(server.url(chapter));
	await page.fill('#comment-body', 'A reader writes to the author.');
	await clickAndWait(page, '#add-comment button[type=submit]');
	await page.goto(server.url(demoChapter));
	await clickAndWait(page, '.comment-actions a:has-text("Reply") >> nth=0');
	await page.fill('textarea[name=body]', 'A reply to the author.');
	await clickAndWait(page, 'form.comment-form button[type=submit]');
	await logOut(page);

	await logIn(page, server, NAME, PW);
	await page.goto(server.url(`${work}/chapters/new`));
	await page.fill('input[name=chapter_title]', 'News');
	await page.fill('textarea[name=chapter_content]', 'A third chapter, news for the subscriber.');
	await clickAndWait(page, 'button[name=action][value=post]');
}

/** The path of a work's last chapter, from its chapter index. */
async function lastChapter(page, server, work) {
	await page.goto(server.url(`${work}/navigate`));
	const hrefs = await page.locator('ol.chapter-index a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	check(hrefs.length >= 2, `${work} has ${hrefs.length} chapters, want 2 or more`);
	return hrefs[hrefs.length - 1];
}

/** Submits the form without the browser's own checks, to reach the server's error page. */
async function submitUnchecked(page, formSelector, buttonSelector) {
	await page.locator(formSelector).evaluate((f) => { f.noValidate = true; });
	await clickAndWait(page, buttonSelector);
}

// Each family: a name and either a path or a function that brings the page up (and returns nothing).
function families(work, chapter, demoWork, demoChapter, series) {
	const guest = [
		// finding works: listings with filters and a text search, tag pages, the directory, a series
		['works-filtered', '/works?rating=General+Audiences&exclude_tags=Angst&sort=kudos&q=%22the+first%22'],
		['search', '/search?q=chapter+-nothing'],
		['tag', '/tags/Original%20Work'],
		['tag-synonym', '/tags/Pers%C3%A9phone'],
		['media', '/media'],
		['media-show', '/media/Uncategorized%20Fandoms'],
		['series', series],
		['home', '/'],
		['works-index', '/works'],
		['work', demoWork],
		['chapter', demoChapter],
		['entire-work', `${demoWork}?view_full_work=true`],
		['chapter-index', `${demoWork}/navigate`],
		['author', '/users/inkwell'],
		['author-works', '/users/inkwell/works'],
		['login', '/login?return=/works/new'],
		['signup', '/signup'],
		['signup-errors', async (page, server) => {
			await page.goto(server.url('/signup'));
			await page.fill('input[name=username]', 'x');
			await page.fill('input[name=email]', 'not-an-address');
			await page.fill('input[name=password]', 'short');
			await submitUnchecked(page, 'form[action="/signup"]', 'form[action="/signup"] button[type=submit]');
		}],
		['prefs', `/prefs?return=${encodeURIComponent(demoWork)}`],
		['docs-api', '/docs/api'],
		['not-found', '/no/such/page'],
		// The reader's response, as a guest.
		['kudos-page', `${demoWork}/kudos`],
		['comment-new', `${demoChapter}/comments/new`],
		['comment-new-errors', async (page, server) => {
			await page.goto(server.url(`${demoChapter}/comments/new`));
			await submitUnchecked(page, 'form.comment-form', 'form.comment-form button[type=submit]');
		}],
		['comments-more', `${demoWork}/comments?chapter=${demoChapter.split('/').pop()}`],
		['bookmarks', `/users/${NAME}/bookmarks`],
	];
	const author = [
		['account', '/account'],
		['own-work', work],
		['own-work-notice', `${work}?notice=posted`],
		['own-chapter', chapter],
		['work-form', '/works/new'],
		['work-form-errors', async (page, server) => {
			await page.goto(server.url('/works/new'));
			await submitUnchecked(page, 'form.work-form', 'button[name=action][value=post]');
		}],
		['work-preview', async (page, server) => {
			await page.goto(server.url(`${work}/edit`));
			await clickAndWait(page, 'button[name=action][value=preview]');
		}],
		['work-edit', `${work}/edit`],
		['chapter-form', `${work}/chapters/new`],
		['chapter-edit', `${chapter}/edit`],
		['chapters-manage', `${work}/chapters/manage`],
		['work-delete', `${work}/delete`],
		// The reader's response: comments and replies in the inbox, the author's own comment, bookmarks,
		// history, statistics.
		['inbox', '/inbox'],
		['inbox-unread', '/inbox?unread=1'],
		['comment-reply', async (page, server) => {
			await page.goto(server.url(chapter));
			await clickAndWait(page, '.comment-actions a:has-text("Reply") >> nth=0');
		}],
		['comment-edit', async (page, server) => {
			await page.goto(server.url(demoChapter));
			await clickAndWait(page, '.comment-actions a[href$="/edit"] >> nth=0');
		}],
		['own-bookmarks', `/users/${NAME}/bookmarks`],
		['bookmark-form', `${demoWork}/bookmark`],
		['history', '/history'],
		['history-later', '/history?later=1'],
		['stats-work', `${work}/stats`],
		['stats-user', `/users/${NAME}/stats`],
		// Blocking: what it does, the list with one block in it.
		['block-confirm', '/users/inkwell/block'],
		['blocked-users', async (page, server) => {
			await page.goto(server.url('/users/inkwell/block'));
			if (await page.locator('form[action$="/block"]').count()) // not yet blocked (the first theme's run)
				await clickAndWait(page, 'form[action$="/block"] button[type=submit]');
			await page.goto(server.url(`/users/${NAME}/blocked`));
		}],
		// the author is made a wrangler: the queue, one fandom's queue and the wrangling form
		['wrangling', '/wrangling'],
		['wrangling-fandom', async (page, server) => {
			await page.goto(server.url('/wrangling'));
			await clickAndWait(page, '.queue-fandoms a >> nth=0');
		}],
		['tag-edit', '/tags/Original%20Work/edit'],
		['tag-edit-refused', async (page, server) => {
			await page.goto(server.url('/tags/Accessibility/edit'));
			await page.fill('input[name=synonym_of]', 'No Such Tag Anywhere');
			await clickAndWait(page, 'form.wrangle-form button[type=submit]');
		}],
	];
	// A subscriber's inbox (the news of the author's new chapter) and history, as the reader.
	const reader = [
		['reader-inbox', '/inbox'],
		['reader-history', '/history'],
	];
	return { guest, author, reader };
}

async function checkFamilies(list, { server, browser, page }, who, failures, counts) {
	for (const theme of ['light', 'dark']) {
		await setTheme(browser, server, theme);
		for (const [name, how] of list) {
			if (typeof how === 'string')
				await page.goto(server.url(how));
			else
				await how(page, server);
			const cls = await page.evaluate(() => document.documentElement.className);
			check(cls.includes(`theme-${theme}`), `${name}: the page is not in the ${theme} theme (${cls})`);
			const violations = await axe(page);
			await screenshot(page, `axe-${theme}-${name}.png`);
			for (const v of violations) {
				const key = `${v.impact} ${v.id}`;
				counts[key] = (counts[key] || 0) + v.nodes.length;
				const line = `${theme} ${who} ${name} (${pathOf(page)}): ${v.impact} ${v.id}: ${v.help}\n      ` +
					v.nodes.slice(0, 8).join('\n      ');
				if (FAILING_IMPACTS.has(v.impact) || FAILING_RULES.has(v.id))
					failures.push(line);
				else
					console.log(`note: ${line}`);
			}
		}
	}
}

test('axe-core finds no serious, critical or heading-order violation on any page family, in either theme', async (ctx) => {
	const { server, browser, page } = ctx;
	const failures = [], counts = {};
	// The demo archive has multi-chapter works by other people: a guest's reading pages.
	await page.goto(server.url('/works'));
	const demoWork = await page.locator('.work-list li.blurb').evaluateAll((lis) => {
		const multi = lis.find((li) => !/Chapters:\s*1\//.test(li.textContent));
		return multi && multi.querySelector('.blurb-title a').getAttribute('href');
	});
	check(demoWork, 'the demo archive has no work with two or more chapters');
	const demoChapter = await lastChapter(page, server, demoWork);
	await page.goto(server.url('/works?sort=title'));
	const series = await page.locator('.work-list a.series-title').first().getAttribute('href');
	check(series && /^\/series\/\d+$/.test(series), `the demo archive has no series (${series})`);
	const work = await makeAuthorAndWork(page, server);
	const chapter = await lastChapter(page, server, work);
	const role = spawnSync(QUIRE_BIN, ['user', 'role', NAME, 'wrangler', '--data', server.data]);
	check(role.status === 0, `quire user role: ${role.stderr}`);
	await makeResponses(page, server, work, chapter, demoWork, demoChapter);
	const { guest, author, reader } = families(work, chapter, demoWork, demoChapter, series);
	await checkFamilies(author, ctx, 'author', failures, counts);
	await browser.context.clearCookies();
	await checkFamilies(guest, ctx, 'guest', failures, counts);
	await logIn(page, server, READER, PW);
	await checkFamilies(reader, ctx, 'reader', failures, counts);
	console.log(`axe violations by impact and rule (nodes): ${JSON.stringify(counts)}`);
	check(failures.length === 0, `axe-core found ${failures.length} serious, critical or heading-order violations:\n  ${failures.join('\n  ')}`);
}, { server: { demo: true } });

await run();
