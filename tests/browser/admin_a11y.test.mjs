// Browser: axe-core finds no serious, critical or heading-order violation on any page of running a community
// (issue 14), in either theme: the report form, the dashboard, the reports queue and a report, the audit log and
// an entry, moderating a work, a hidden work and the notice as its creator sees them.
import { addUser, api, axePages, postWork, PW } from './admin_helpers.mjs';
import { check, clickAndWait, logIn, logOut, run, test } from './lib.mjs';

test('axe-core: no serious or critical violation on the pages of running a community, both themes', async (ctx) => {
	const { server, page } = ctx;
	const author = addUser(server, 'axe_author');
	const mod = addUser(server, 'axe_mod', 'moderator');
	addUser(server, 'axe_admin', 'admin');
	const work = await postWork(server, author, { title: 'Read by axe', summary: 'Contrast and labels.' });
	const other = await postWork(server, author, { title: 'Hidden from readers' });
	const r = await api(server, 'POST', `/api/v1/admin/works/${other.id}/hide`, { reason: 'Checked by axe.' }, mod);
	check(r.status === 200, `hiding through the API answered ${r.status}`);
	const reader = addUser(server, 'axe_reader');
	const comment = await api(server, 'POST', `/api/v1/works/${work.id}/comments`, { body: 'A comment for axe.' }, reader);
	check(comment.status === 201, `commenting answered ${comment.status}`);
	const held = await api(server, 'POST', '/api/v1/admin/users/axe_reader/suspend',
		{ days: 2, reason: 'Checked by axe.' }, mod);
	check(held.status === 200, `suspending answered ${held.status}`);
	const failures = [];

	// A guest: the report form, its errors, and the thanks.
	await axePages(ctx, [
		['report-form', `/reports/new?kind=work&id=${work.id}`],
		['report-form-chapter', `/reports/new?kind=chapter&id=${work.chapters[0].id}`],
		['report-form-profile', '/reports/new?kind=user&id=1'],
		['report-errors', async (p, s) => {
			await p.goto(s.url(`/reports/new?kind=work&id=${work.id}`));
			await p.locator('form.report-form').evaluate((f) => { f.noValidate = true; });
			await clickAndWait(p, 'form.report-form button[type=submit]');
		}],
		['report-sent', async (p, s) => {
			await p.goto(s.url(`/reports/new?kind=work&id=${work.id}`));
			await p.check('input[name=category][value=spam]');
			await p.fill('textarea[name=body]', 'Checked by axe.');
			await clickAndWait(p, 'form.report-form button[type=submit]');
		}],
	], 'guest', failures);

	// The creator of the hidden work: its page and the notice in the inbox.
	await logIn(page, server, 'axe_author', PW);
	await axePages(ctx, [
		['hidden-work-creator', `/works/${other.id}`],
		['inbox-notice', '/inbox'],
		['own-works-marked', '/users/axe_author/works'],
	], 'creator', failures);
	await logOut(page);

	// The admin: every admin page.
	await logIn(page, server, 'axe_admin', PW);
	await axePages(ctx, [
		['dashboard', '/admin'],
		['reports', '/admin/reports'],
		['reports-all', '/admin/reports?status=all'],
		['report', async (p, s) => {
			await p.goto(s.url('/admin/reports?status=all'));
			await clickAndWait(p, 'table.reports a[href^="/admin/reports/"]');
		}],
		['log', '/admin/log'],
		['log-filtered', '/admin/log?action=work_hide&actor=axe_mod'],
		['log-entry', async (p, s) => {
			await p.goto(s.url('/admin/log'));
			await clickAndWait(p, 'table.log tbody a[href^="/admin/log/"]');
		}],
		['moderate-work', `/admin/works/${work.id}`],
		['accounts', '/admin/users'],
		['account', '/admin/users/axe_reader'],
		['account-author', '/admin/users/axe_author'],
		['moderate-comment', `/admin/comments/${comment.json.id}`],
		['suspended-login', async (p, s) => {
			await p.goto(s.url('/login'));
			await p.fill('input[name=username]', 'axe_reader');
			await p.fill('input[name=password]', PW);
			await clickAndWait(p, 'form[action="/login"] button[type=submit]');
		}],
		['moderate-hidden-work', `/admin/works/${other.id}`],
		['hidden-work-moderator', `/works/${other.id}`],
		['settings', '/admin/settings'],
		['settings-errors', async (p, s) => {
			await p.goto(s.url('/admin/settings'));
			await p.fill('input[name=site_name]', '   ');
			await p.locator('form[action="/admin/settings"]').evaluate((f) => { f.noValidate = true; });
			await clickAndWait(p, 'form[action="/admin/settings"] button[type=submit]');
		}],
		['pages', '/admin/pages'],
		['page-form-tos', '/admin/pages/tos'],
		['invitations-queue', '/admin/invitations'],
		['news-admin', '/admin/news'],
	], 'admin', failures);

	// The admin writes the terms and news, puts up a banner and opens sign-up by invitation (through the forms).
	await page.goto(server.url('/admin/pages/tos'));
	await page.fill('input[name=title]', 'Terms of Service');
	await page.fill('textarea[name=body]', 'Be **kind**.');
	await clickAndWait(page, 'form[action="/admin/pages/tos"] button[type=submit]');
	await page.goto(server.url('/admin/news'));
	await page.fill('input[name=title]', 'Welcome');
	await page.fill('textarea[name=body]', 'The archive is open.');
	await clickAndWait(page, 'form[action="/admin/news"] button[type=submit]');
	const newsPath = new URL(page.url()).pathname;
	await page.goto(server.url('/admin/settings'));
	await page.fill('textarea[name=banner]', 'Maintenance on **Sunday**.');
	await clickAndWait(page, 'form[action="/admin/banner"] button[type=submit]');
	await page.selectOption('select[name=signup_mode]', 'invitation');
	await clickAndWait(page, 'form[action="/admin/settings"] button[type=submit]');
	await axePages(ctx, [
		['accept-terms', '/accept'],
		['invitations-own', '/invitations'],
		['news-post-admin', newsPath],
	], 'admin', failures);
	await logOut(page);
	await axePages(ctx, [
		['signup-invitation', '/signup'],
		['signup-invitation-errors', async (p, s) => {
			await p.goto(s.url('/signup?invitation=nosuchcode'));
			await p.locator('form[action="/signup"]').evaluate((f) => { f.noValidate = true; });
			await clickAndWait(p, 'form[action="/signup"] button[type=submit]');
		}],
		['invitation-request', '/invitations/request'],
		['invitation-requested', async (p, s) => {
			await p.goto(s.url('/invitations/request'));
			await p.fill('input[name=email]', 'someone@example.org');
			await clickAndWait(p, 'form[action="/invitations/request"] button[type=submit]');
		}],
		['tos', '/pages/tos'],
		['news', '/news'],
		['news-post', newsPath],
		['banner-home', '/'],
	], 'guest', failures);
	check(failures.length === 0, `axe-core found ${failures.length} violations:\n  ${failures.join('\n  ')}`);
});

test('axe-core: spam, mutes, co-creator invitations and the smaller pages, both themes', async (ctx) => {
	const { server, page } = ctx;
	const author = addUser(server, 'axe_writer');
	addUser(server, 'axe_friend');
	addUser(server, 'axe_keeper', 'admin');
	addUser(server, 'axe_wrangler', 'wrangler');
	const work = await postWork(server, author, { title: 'Read by axe again', freeforms: ['Axe Checked Tag'],
		coauthors: ['axe_friend'] });
	const closed = await postWork(server, author, { title: 'For members', restricted: true });
	const failures = [];

	// A guest: a comment with a link waits in the spam queue (its own page); a members-only work; the e-reader page.
	await axePages(ctx, [
		['comment-held', async (p, s) => {
			await p.goto(s.url(`/works/${work.id}/comments/new`));
			await p.fill('input[name=guest_name]', 'Axe Guest');
			await p.fill('input[name=guest_email]', 'axe@example.org');
			await p.fill('textarea[name=body]', 'Cheap pills at https://spam.example.com/buy now');
			await clickAndWait(p, 'form.comment-form button[type=submit]');
		}],
		['members-only-guest', `/works/${closed.id}`],
		['ereaders', '/ereaders'],
	], 'guest', failures);

	// The invitee: the invitation in the inbox and on the account page; then mutes.
	await logIn(page, server, 'axe_friend', PW);
	await axePages(ctx, [
		['inbox-invitation', '/inbox'],
		['account-invitation', '/account'],
		['user-mute-button', '/users/axe_writer'],
		['tag-mute-button', '/tags/Axe%20Checked%20Tag'],
	], 'reader', failures);
	await page.goto(server.url('/users/axe_writer'));
	await clickAndWait(page, 'form.user-mute button[type=submit]');
	await page.goto(server.url('/tags/Axe%20Checked%20Tag'));
	await clickAndWait(page, 'form.tag-mute button[type=submit]');
	await axePages(ctx, [
		['muted-list', '/users/axe_friend/muted'],
		['user-muted', '/users/axe_writer'],
		['works-muting', '/works'],
	], 'reader', failures);
	await logOut(page);

	// The admin: the spam queue, an item, the blocklist.
	await logIn(page, server, 'axe_keeper', PW);
	await axePages(ctx, [
		['spam-queue', '/admin/spam'],
		['spam-marked', async (p, s) => {
			await p.goto(s.url('/admin/spam'));
			await clickAndWait(p, 'li.spam-item form:has(input[value=spam]) button');
			await p.goto(s.url('/admin/spam?status=spam'));
		}],
		['blocklist', '/admin/spam/blocklist'],
		['dashboard-mail-folder', '/admin'],
	], 'admin', failures);
	await logOut(page);

	// A phone: the works first, the filters behind their button, then shown.
	await page.setViewportSize({ width: 390, height: 800 });
	await axePages(ctx, [
		['works-phone', '/works'],
		['works-phone-filters', '/works#filters'],
	], 'guest', failures);
	await page.setViewportSize({ width: 1280, height: 900 });
	check(failures.length === 0, `axe-core found ${failures.length} violations:\n  ${failures.join('\n  ')}`);
});

await run();
