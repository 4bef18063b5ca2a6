// Browser: a writer posts a two-chapter work through the forms; a reader goes chapter by chapter and reads it whole.
import { check, clickAndWait, pathOf, run, screenshot, test } from './lib.mjs';

const NAME = 'maya_writes';
const PW = 'harbour street 1997';

async function bodyText(page) {
	return (await page.textContent('body')).replace(/\s+/g, ' ');
}

async function metaText(page) {
	return (await page.textContent('dl.work-meta')).replace(/\s+/g, ' ');
}

test('post a two-chapter work, read it chapter by chapter and whole', async ({ server, browser, page }) => {
	await page.goto(server.url('/signup'));
	await page.fill('input[name=username]', NAME);
	await page.fill('input[name=email]', 'maya@example.org');
	await page.fill('input[name=password]', PW);
	await page.fill('input[name=password_confirmation]', PW);
	await clickAndWait(page, 'form[action="/signup"] button[type=submit]');

	// The work form, filled in as a person would.
	const resp = await page.goto(server.url('/works/new'));
	check(resp.status() === 200, `GET /works/new answered ${resp.status()}`);
	await page.selectOption('select[name=rating]', 'Teen And Up Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await page.check('input[name=categories][value="F/M"]');
	await page.fill('input[name=fandoms]', 'Harbour Street (TV)');
	await page.fill('input[name=relationships]', 'Maya Ortiz/Theo Baptiste');
	await page.fill('input[name=characters]', 'Maya Ortiz, Theo Baptiste');
	await page.fill('input[name=freeforms]', 'Angst, Hurt/Comfort');
	await page.fill('input[name=title]', 'The Long Way Home');
	await page.fill('textarea[name=summary]', 'Maya lets go of a case. Theo does not let go of Maya.');
	await page.fill('textarea[name=notes]', 'Disclaimer: Harbour Street is my own invention.');
	await page.fill('textarea[name=end_notes]', 'Thank you for reading… more soon.');
	await page.fill('input[name=chapter_title]', 'Temporary');
	await page.fill('textarea[name=chapter_notes]', 'Set after season two.');
	await page.selectOption('select[name=chapter_format]', 'text');
	await page.fill('textarea[name=chapter_content]',
		'“Nothing stays put around here…”\n\nMaya heard the words before she saw who had said them.\n\n' +
		'“You okay?”\n\n“… I’m fine, Theo.”');
	await page.fill('textarea[name=chapter_end_notes]', 'Chapter two is half written.');
	await screenshot(page, 'work-form.png');

	// Preview first: the chapter as it will read, nothing saved, everything still in the form.
	await clickAndWait(page, 'button[name=action][value=preview]');
	check((await bodyText(page)).includes('This is a preview'), 'no preview notice');
	check(await page.locator('.preview .chapter-text p').count() === 4, 'preview does not show four paragraphs');
	check(await page.inputValue('input[name=title]') === 'The Long Way Home', 'title lost after preview');
	check((await page.inputValue('textarea[name=chapter_content]')).includes('I’m fine, Theo.'), 'content lost after preview');

	await clickAndWait(page, 'button[name=action][value=post]');
	const workPath = new URL(page.url()).pathname;
	check(new URL(page.url()).search === '?notice=posted', `after posting the browser is at ${pathOf(page)}`);
	check((await bodyText(page)).includes('Your work was posted.'), 'no "Your work was posted." after posting');
	check(/^\/works\/\d+$/.test(workPath), `after posting the browser is at ${workPath}`);
	let meta = await metaText(page);
	check(meta.includes('Chapters: 1/?'), `meta block: ${meta}`);
	check(meta.includes('Harbour Street (TV)'), 'fandom missing from the meta block');
	check(await page.locator('.chapter-text p').count() === 4, 'chapter 1 does not have four paragraphs');

	// Chapter 2 through "Add Chapter".
	await clickAndWait(page, `a[href="${workPath}/chapters/new"]`);
	await page.fill('input[name=chapter_title]', 'Going Home');
	await page.selectOption('select[name=chapter_format]', 'text');
	await page.fill('textarea[name=chapter_content]', 'The elevator doors slid shut.\n\nShe leaned against the wall.');
	await page.fill('textarea[name=chapter_end_notes]', 'End of chapter two.');
	await clickAndWait(page, 'button[name=action][value=post]');
	check(/^\/works\/\d+\/chapters\/\d+\?notice=chapter_posted$/.test(pathOf(page)), `after adding a chapter the browser is at ${pathOf(page)}`);

	// A reader, chapter by chapter.
	await page.goto(server.url(workPath));
	meta = await metaText(page);
	check(meta.includes('Chapters: 2/?'), `meta block after chapter 2: ${meta}`);
	let text = await bodyText(page);
	check(text.includes('Chapter 1: Temporary') && text.includes('Nothing stays put around here…'), 'chapter 1 not shown');
	check(text.includes('Disclaimer: Harbour Street is my own invention.'), 'work notes not shown');
	check(!text.includes('The elevator doors slid shut.'), 'chapter 2 shown on the chapter 1 page');
	await screenshot(page, 'chapter-1.png');

	await clickAndWait(page, 'nav.work-nav a[rel=next]');
	text = await bodyText(page);
	check(text.includes('Chapter 2: Going Home') && text.includes('The elevator doors slid shut.'), 'chapter 2 not shown');
	check(text.includes('Thank you for reading… more soon.'), 'work end notes missing after the last chapter');
	check(!text.includes('Nothing stays put'), 'chapter 1 text on the chapter 2 page');
	await screenshot(page, 'chapter-2.png');

	// The chapter menu works without scripts.
	const first = await page.locator('select[name=chapter] option').first().getAttribute('value');
	await page.selectOption('select[name=chapter]', first);
	await clickAndWait(page, 'form.chapter-select button[type=submit]');
	check(pathOf(page) === `${workPath}/chapters/${first}`, `the chapter menu went to ${pathOf(page)}`);
	check((await bodyText(page)).includes('Nothing stays put around here…'), 'chapter menu did not reach chapter 1');

	await clickAndWait(page, 'nav.work-nav >> text=Entire Work');
	check(pathOf(page) === `${workPath}?view_full_work=true`, `Entire Work went to ${pathOf(page)}`);
	text = await bodyText(page);
	const i1 = text.indexOf('Nothing stays put'), i2 = text.indexOf('The elevator doors slid shut.');
	check(i1 >= 0 && i2 > i1, 'entire work does not show both chapters in order');
	check(await page.locator('section.chapter').count() === 2, 'entire work does not have two chapters');
	await screenshot(page, 'entire-work.png');

	// Logged out, a guest reads it too, without the creator's tools.
	await browser.context.clearCookies();
	await page.goto(server.url(workPath));
	check((await bodyText(page)).includes('Nothing stays put around here…'), 'a guest cannot read the work');
	check(await page.locator('ul.author-tools').count() === 0, 'a guest sees creator tools');
});

await run();
