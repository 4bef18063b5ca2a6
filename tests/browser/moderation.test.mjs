// Browser: a guest reports a work; a moderator hides it with a reason from the reports queue; the creator sees the
// notice and the hidden mark; the work is gone from every listing, search, feed, download and API answer for
// everyone else; the admin undoes it from the audit log, which shows both (issue 14).
import { addUser, api, bodyText, guestGet, postWork, PW } from './admin_helpers.mjs';
import { check, clickAndWait, logIn, logOut, run, screenshot, test } from './lib.mjs';

const TITLE = 'The Lantern Keeper';
const WORD = 'lanternish';

/** Where the work shows for someone without an account (or with token for the API): {surface: shown}. */
async function surfaces(server, work, token) {
	const wid = work.id, cid = work.chapters[0].id, found = {};
	found['work page'] = (await guestGet(server, `/works/${wid}`)).status === 200;
	found['chapter page'] = (await guestGet(server, `/works/${wid}/chapters/${cid}`)).status === 200;
	found['/works'] = (await guestGet(server, '/works')).text.includes(TITLE);
	found.home = (await guestGet(server, '/')).text.includes(TITLE);
	found.search = (await guestGet(server, `/search?q=${WORD}`)).text.includes(TITLE);
	found['tag page'] = (await guestGet(server, '/tags/Lantern%20Light')).text.includes(TITLE);
	found['author page'] = (await guestGet(server, '/users/lantern_author')).text.includes(TITLE);
	found['opds feed'] = (await guestGet(server, '/opds/works?sort=updated')).text.includes(TITLE);
	found['opds search'] = (await guestGet(server, `/opds/works?q=${WORD}`)).text.includes(TITLE);
	found.epub = (await guestGet(server, `/downloads/${wid}/x.epub`)).status === 200;
	found['html download'] = (await guestGet(server, `/downloads/${wid}/x.html`)).status === 200;
	found['api work'] = (await api(server, 'GET', `/api/v1/works/${wid}`, undefined, token)).status === 200;
	found['api list'] = (await api(server, 'GET', `/api/v1/works?q=${WORD}`, undefined, token)).text.includes(TITLE);
	return found;
}

function shown(found) {
	return Object.keys(found).filter((k) => found[k]);
}

function missing(found) {
	return Object.keys(found).filter((k) => !found[k]);
}

test('report, hide with a reason, the creator is told, gone for everyone else, undone, logged', async ({ server, page }) => {
	const author = addUser(server, 'lantern_author');
	addUser(server, 'lantern_mod', 'moderator');
	addUser(server, 'lantern_admin', 'admin');
	const reader = addUser(server, 'lantern_reader');
	const work = await postWork(server, author, { title: TITLE, summary: `A ${WORD} story.`, freeforms: ['Lantern Light'] });
	check(missing(await surfaces(server, work, reader)).length === 0, 'the work is not everywhere before it is hidden');

	// A guest reports the work from its page.
	await page.goto(server.url(`/works/${work.id}`));
	await clickAndWait(page, '.report-link a');
	check((await bodyText(page)).includes(`You are reporting ${TITLE}`), 'the report form names the work');
	await page.check('input[name=category][value=harassment]');
	await page.fill('textarea[name=body]', 'The notes insult a named reader.');
	await clickAndWait(page, 'form.report-form button[type=submit]');
	check((await bodyText(page)).includes('Your report was sent'), 'no thanks after reporting');

	// The moderator hides it, with a reason, from the report's page.
	await logIn(page, server, 'lantern_mod', PW);
	await page.goto(server.url('/admin'));
	check((await bodyText(page)).includes('1 open'), 'the dashboard counts the open report');
	await clickAndWait(page, 'a[href="/admin/reports?status=open"]');
	await clickAndWait(page, 'table.reports a[href^="/admin/reports/"]');
	check((await bodyText(page)).includes('The notes insult a named reader.'), 'the report page shows what was said');
	await page.fill('form[action$="/hide"] textarea[name=reason]', 'Insults a reader by name.');
	await screenshot(page, 'moderation-report.png');
	await clickAndWait(page, 'form[action$="/hide"] button[type=submit]');
	check((await bodyText(page)).includes('Resolved'), 'the report is resolved with the action');
	await logOut(page);

	// Gone for everyone else: guests, and a reader through the API.
	const gone = await surfaces(server, work, reader);
	check(shown(gone).length === 0, `the hidden work still shows on: ${shown(gone).join(', ')}`);

	// The creator sees the notice, the reason and the mark.
	await logIn(page, server, 'lantern_author', PW);
	await page.goto(server.url('/inbox'));
	let text = await bodyText(page);
	check(text.includes("From the site's moderators") && text.includes('Insults a reader by name.'), `inbox: ${text}`);
	await page.goto(server.url(`/works/${work.id}`));
	text = await bodyText(page);
	check(text.includes("Hidden by the site's moderators") && text.includes('Insults a reader by name.'),
		'the work page tells its creator why it is hidden');
	await screenshot(page, 'moderation-creator.png');
	await page.goto(server.url('/users/lantern_author/works'));
	check(await page.locator('.flag-hidden').count() === 1, 'the creator\'s listing marks the work hidden');
	await logOut(page);

	// The admin undoes it from the audit log.
	await logIn(page, server, 'lantern_admin', PW);
	await page.goto(server.url('/admin/log'));
	await clickAndWait(page, 'table.log tbody tr:first-child a[href^="/admin/log/"]');
	await page.fill('textarea[name=reason]', 'Those are quotes from the show, not insults.');
	await clickAndWait(page, 'form[action$="/undo"] button[type=submit]');
	check((await bodyText(page)).includes('Undone.'), 'no confirmation of the undo');
	const back = await surfaces(server, work, reader);
	check(missing(back).length === 0, `after the undo the work is missing from: ${missing(back).join(', ')}`);

	// The log shows both, with who and why.
	await page.goto(server.url('/admin/log'));
	const rows = (await page.locator('table.log tbody').textContent()).replace(/\s+/g, ' ');
	for (const want of ['hid a work', 'showed a work again', 'lantern_mod', 'lantern_admin', 'Insults a reader by name.',
		'Those are quotes from the show, not insults.'])
		check(rows.includes(want), `the log does not show "${want}": ${rows}`);
	await screenshot(page, 'moderation-log.png');
});

await run();
