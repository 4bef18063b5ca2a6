// Browser: a writer imports the sample chapter (a disclaimer, the story, a request for reviews) from a file; the
// preview proposes the disclaimer as the beginning note and the request as the end note; the writer moves one
// part, sees the preview follow, picks fandom, rating and warnings, and posts. The work reads as it was written.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, check, clickAndWait, pathOf, run, screenshot, signUp, test } from './lib.mjs';

const SAMPLE = [path.join(ROOT, '..', 'shared', 'samples', 'svu-chapter-1.txt'),
	'/work/shared/samples/svu-chapter-1.txt'].find((p) => fs.existsSync(p));

async function text(page, selector) {
	return (await page.textContent(selector)).replace(/\s+/g, ' ');
}

test('import the sample chapter, check its notes, post it', async ({ server, page }) => {
	check(SAMPLE, 'the sample chapter is missing (../shared/samples/svu-chapter-1.txt)');
	await signUp(page, server, 'liv_writes', 'hillcrest park 172');

	// The way in: the new-work form points to the import.
	await page.goto(server.url('/works/new'));
	await clickAndWait(page, 'a[href="/works/import"]');
	check(pathOf(page) === '/works/import', `the import link went to ${pathOf(page)}`);
	await page.setInputFiles('input[name=files]', SAMPLE);
	await screenshot(page, 'import-upload.png');
	await clickAndWait(page, 'form[action="/works/import"] button[type=submit]');

	// The preview: what was found around the story, and where Quire proposes it goes.
	const choices = await text(page, 'section.import-choices');
	check(choices.includes('Read from plain text (svu-chapter-1.txt): 1 chapter'), `import summary: ${choices}`);
	check(choices.includes('Disclaimer') && choices.includes('Request for reviews'), `parts found: ${choices}`);
	check(await page.inputValue('select[name=place_1_1]') === 'notes', 'the disclaimer is not proposed as the beginning note');
	check(await page.inputValue('select[name=place_1_3]') === 'end_notes', 'the request is not proposed as the end note');
	const notes = await text(page, '.preview .chapter .notes');
	check(notes.includes('Disclaimer: All recognizable SVU Characters belong to Dick Wolf'), `preview notes: ${notes}`);
	const endNotes = await text(page, '.preview .chapter .end.notes');
	check(endNotes.includes('Please Review and/or leave suggestions if you would like the next chapter.'), `end notes: ${endNotes}`);
	check(await page.locator('.preview .chapter-text p').count() === 27, 'the preview does not show the 27 story paragraphs');
	await screenshot(page, 'import-preview.png');
	await page.locator('section.import-choices').screenshot({ path: await screenshot(page, 'import-choices.png') });

	// Moving the request into the text and back: the preview follows each choice.
	await page.selectOption('select[name=place_1_3]', 'text');
	await clickAndWait(page, 'section.import-choices button[value=preview]');
	check(await page.locator('.preview .chapter-text p').count() === 28, 'the moved part is not in the text');
	check(await page.locator('.preview .chapter .end.notes').count() === 0, 'end notes remain after moving the part');
	await page.selectOption('select[name=place_1_3]', 'end_notes');

	// The writer's own choices: title, fandom, rating, warnings, a relationship.
	await page.fill('input[name=title]', 'Temporary');
	await page.fill('input[name=fandoms]', 'Law & Order: SVU');
	await page.fill('input[name=relationships]', 'Olivia Benson/Alex Cabot');
	await page.selectOption('select[name=rating]', 'Teen And Up Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await clickAndWait(page, 'form#work-form button[name=action][value=preview]');
	check(await page.inputValue('select[name=place_1_3]') === 'end_notes', 'the choice was lost in the preview');
	check(await page.inputValue('input[name=fandoms]') === 'Law & Order: SVU', 'the fandom was lost in the preview');
	await screenshot(page, 'import-before-post.png');
	await clickAndWait(page, 'form#work-form button[name=action][value=post]');

	// Posted as the writer confirmed.
	check(/^\/works\/\d+\?notice=posted$/.test(pathOf(page)), `after posting the browser is at ${pathOf(page)}`);
	const meta = await text(page, 'dl.work-meta');
	check(meta.includes('Law & Order: SVU') && meta.includes('Teen And Up Audiences'), `meta: ${meta}`);
	const chapterNotes = await text(page, 'section.chapter .notes');
	check(chapterNotes.includes('Disclaimer: All recognizable SVU Characters belong to Dick Wolf'), `notes: ${chapterNotes}`);
	const chapterEnd = await text(page, 'section.chapter .end.notes');
	check(chapterEnd.includes('Please Review and/or leave suggestions'), `end notes: ${chapterEnd}`);
	const paras = page.locator('.chapter-text p');
	check(await paras.count() === 27, `the work has ${await paras.count()} paragraphs, not 27`);
	const story = await text(page, '.chapter-text');
	check(story.includes('"It was always temporary…"'), 'the first line lost its quotes or ellipsis');
	check(story.includes('"… Upper East" She said without thinking.'), 'the last line lost its quotes or ellipsis');
	check(!story.includes('Disclaimer') && !story.includes('Please Review'), 'the notes are still in the text');
	await screenshot(page, 'import-posted.png');
});

await run();
