// Browser: a guest and a logged-in reader review chapter 1, the creator reads both in the inbox and replies
// from there, and the reader finds the reply, marked as the creator's.
import { check, clickAndWait, logIn, logOut, pathOf, run, screenshot, signUp, test } from './lib.mjs';

const PW = 'harbour street 1997';

async function bodyText(page) {
	return (await page.textContent('body')).replace(/\s+/g, ' ');
}

test('a guest and a reader review chapter 1; the creator replies from the inbox', async ({ server, browser, page }) => {
	// The creator posts a work of two chapters.
	await signUp(page, server, 'maya_writes', PW);
	await page.goto(server.url('/works/new'));
	await page.selectOption('select[name=rating]', 'Teen And Up Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await page.fill('input[name=fandoms]', 'Harbour Street (TV)');
	await page.fill('input[name=title]', 'The Long Way Home');
	await page.fill('input[name=chapter_title]', 'Temporary');
	await page.selectOption('select[name=chapter_format]', 'text');
	await page.fill('textarea[name=chapter_content]',
		'“Nothing stays put around here…”\n\nPlease Review and/or leave suggestions if you would like the next chapter.');
	await clickAndWait(page, 'button[name=action][value=post]');
	const workPath = new URL(page.url()).pathname; /* after ?notice=posted */
	check(/^\/works\/\d+$/.test(workPath), `after posting the browser is at ${workPath}`);
	await clickAndWait(page, `a[href="${workPath}/chapters/new"]`);
	await page.selectOption('select[name=chapter_format]', 'text');
	await page.fill('textarea[name=chapter_content]', 'The elevator doors slid shut behind them.');
	await clickAndWait(page, 'button[name=action][value=post]');
	await page.goto(server.url(workPath));
	const chapter1 = pathOf(page).startsWith('/works/') ? await page.locator('select[name=chapter] option').first().getAttribute('value') : null;
	const chapterPath = `${workPath}/chapters/${chapter1}`;
	await logOut(page);

	// A guest: "Comment as a guest" leads to the form (name, e-mail never shown, comment).
	await browser.context.clearCookies();
	await page.goto(server.url(chapterPath));
	check((await bodyText(page)).includes('Comments (0)'), 'the chapter page has no comment section');
	await clickAndWait(page, 'a:has-text("Comment as a guest")');
	await page.fill('input[name=guest_name]', 'Quiet Reader');
	await page.fill('input[name=guest_email]', 'quiet@example.net');
	await page.fill('textarea[name=body]', 'Please post the next chapter soon! The lift scene got me.');
	await screenshot(page, 'reviews-guest-form.png');
	await clickAndWait(page, 'form.comment-form button[type=submit]');
	check(pathOf(page).startsWith(chapterPath), `after commenting the guest is at ${pathOf(page)}`);
	let text = await bodyText(page);
	check(text.includes('Comment posted.'), 'no confirmation for the guest');
	check(text.includes('Quiet Reader (guest)') && text.includes('Please post the next chapter soon!'), 'guest comment not shown');
	check(!text.includes('quiet@example.net'), 'the guest e-mail address is shown');

	// A logged-in reader comments with the form under the chapter, and leaves kudos.
	await signUp(page, server, 'theo_reads', PW);
	await page.goto(server.url(chapterPath));
	await page.fill('#comment-body', 'I loved “Nothing stays put around here…”. More please!');
	await clickAndWait(page, '#add-comment button[type=submit]');
	await clickAndWait(page, '.kudos form button.kudos-button >> nth=0');
	text = await bodyText(page);
	check(text.includes('Thank you for leaving kudos!'), 'no kudos confirmation');
	check(text.includes('theo_reads left kudos on this work!'), 'kudos list missing');
	check(text.includes('Comments (2)'), `comment count after two reviews: ${text.slice(0, 300)}`);
	await screenshot(page, 'reviews-chapter-two-comments.png');
	await logOut(page);

	// The creator: two unread messages in the header; the inbox lists both; reply from there.
	await logIn(page, server, 'maya_writes', PW);
	check((await page.textContent('a.inbox-link')).replace(/\s+/g, ' ').includes('Inbox 2'), 'the header does not count 2 unread');
	await clickAndWait(page, 'a.inbox-link');
	text = await bodyText(page);
	check(text.includes('Quiet Reader (guest) commented on The Long Way Home'), 'guest review not in the inbox');
	check(text.includes('theo_reads commented on The Long Way Home'), 'reader review not in the inbox');
	await screenshot(page, 'reviews-creator-inbox.png');
	const item = page.locator('li.inbox-item', { hasText: 'theo_reads commented' });
	await item.locator('textarea[name=body]').fill('Thank you, Theo! Chapter two is up now.');
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), item.locator('form.inbox-reply button[type=submit]').click()]);
	check(pathOf(page).startsWith('/inbox'), `after replying the creator is at ${pathOf(page)}`);
	check((await bodyText(page)).includes('Reply posted.'), 'no confirmation of the reply');
	await logOut(page);

	// The reader is told of the reply and sees it under their comment, marked as the creator's.
	await logIn(page, server, 'theo_reads', PW);
	check((await page.textContent('a.inbox-link')).replace(/\s+/g, ' ').includes('Inbox 1'), 'the reader has no unread reply');
	await clickAndWait(page, 'a.inbox-link');
	text = await bodyText(page);
	check(text.includes('maya_writes Creator replied to your comment'), 'the reply is not in the reader\'s inbox');
	await clickAndWait(page, 'li.inbox-item p.byline a');
	check(pathOf(page).startsWith(chapterPath), `the inbox link went to ${pathOf(page)}`);
	const reply = page.locator('li.comment.by-creator');
	check(await reply.count() === 1, 'no reply marked as the creator\'s');
	check((await reply.textContent()).includes('Chapter two is up now.'), 'the reply text is missing');
	check((await reply.getAttribute('class')).includes('depth-1'), 'the reply is not nested under the comment');
	await reply.scrollIntoViewIfNeeded();
	await screenshot(page, 'reviews-reader-sees-reply.png');
});

test('a reader bookmarks a work; the creator reads its statistics', async ({ server, page }) => {
	await signUp(page, server, 'maya_writes', PW);
	await page.goto(server.url('/works/new'));
	await page.selectOption('select[name=rating]', 'General Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await page.fill('input[name=fandoms]', 'Harbour Street (TV)');
	await page.fill('input[name=title]', 'Lanterns');
	await page.selectOption('select[name=chapter_format]', 'text');
	await page.fill('textarea[name=chapter_content]', 'The harbour lanterns were lit one by one.');
	await page.check('#comment_policy-registered');
	await clickAndWait(page, 'button[name=action][value=post]');
	const workPath = new URL(page.url()).pathname; /* after ?notice=posted */
	await logOut(page);

	await signUp(page, server, 'theo_reads', PW);
	await page.goto(server.url(workPath));
	await clickAndWait(page, '.kudos form button.kudos-button >> nth=0');
	await clickAndWait(page, 'a:has-text("Bookmark")');
	await page.fill('textarea[name=notes]', 'Read this on a rainy evening.');
	await page.fill('input[name=tags]', 'comfort, harbour');
	await page.check('input[name=rec]');
	await clickAndWait(page, 'form.bookmark-form button[type=submit]');
	check(pathOf(page).startsWith('/users/theo_reads/bookmarks'), `after bookmarking the reader is at ${pathOf(page)}`);
	const text = await bodyText(page);
	check(text.includes('Lanterns by maya_writes') && text.includes('Rec') && text.includes('comfort, harbour'),
		`bookmark list: ${text.slice(0, 400)}`);
	await screenshot(page, 'reviews-bookmarks.png');
	await logOut(page);

	// A guest may not comment on this work: registered readers only.
	await page.goto(server.url(workPath));
	check((await bodyText(page)).includes('Only registered readers may comment on this work.'), 'no notice for guests');
	check(await page.locator('a:has-text("Comment as a guest")').count() === 0, 'guests are offered a comment form');

	await logIn(page, server, 'maya_writes', PW);
	await page.goto(server.url(workPath));
	await clickAndWait(page, 'a:has-text("Statistics")');
	const total = await page.locator('table.stats-table tr.total td').allTextContents();
	check(total[1] === '1' && total[2] === '0' && total[3] === '1', `the work's kudos, comments, bookmarks: ${total}`);
	await screenshot(page, 'reviews-statistics.png');
});

await run();
