// Browser: the writer's check and readers' suggestions. A writer checks a new chapter, fixes one suggestion
// with a click, dismisses another, adds a word to the work's names and posts; a reader selects a passage
// and leaves a suggestion; the writer accepts it in the chapter editor and the chapter text changes.
import { check, clickAndWait, logIn, logOut, run, screenshot, signUp, test } from './lib.mjs';

const PW = 'lamp room 1891';

async function bodyText(page) {
	return (await page.textContent('body')).replace(/\s+/g, ' ');
}

test('check a chapter, fix, dismiss, add a name, post; a reader suggests, the writer accepts', async ({ server, page }) => {
	await signUp(page, server, 'wren_writes', PW);
	// A work that takes readers' suggestions.
	await page.goto(server.url('/works/new'));
	await page.selectOption('select[name=rating]', 'General Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await page.fill('input[name=fandoms]', 'Vellmarsh Tales');
	await page.fill('input[name=characters]', 'Wren Ashby, Agnes Hale');
	await page.fill('input[name=title]', 'The Lamp Room');
	await page.selectOption('select[name=chapter_format]', 'text');
	await page.fill('textarea[name=chapter_content]', 'Wren climbed the stair to the lamp room.\n\nAgnes was waiting.');
	await page.check('input[name=reader_suggestions]');
	await clickAndWait(page, 'button[name=action][value=post]');
	const workPath = new URL(page.url()).pathname;
	check(/^\/works\/\d+$/.test(workPath), `posted at ${page.url()}`);

	// A new chapter, checked before posting.
	await page.goto(server.url(`${workPath}/chapters/new`));
	await page.selectOption('select[name=chapter_format]', 'text');
	await page.fill('textarea[name=chapter_content]',
		'The skerrymoot gathered on the shore. Wren could of gone down to meet them.\n\n' +
		'Agnes watched the the boats from the lamp room, and she did not say a word.');
	await clickAndWait(page, 'button[name=action][value=check]');
	const box = page.locator('section.writing-check');
	check(await box.count() === 1, 'no check after "Check"');
	await screenshot(page, 'writing-check.png');
	const item = (found) => page.locator(`section.writing-check li.check-item[data-found="${found}"]`);
	check(await item('of').count() === 1, `"could of" not flagged: ${await box.textContent()}`);
	check(await item('the the').count() === 1, '"the the" not flagged');
	check(await item('skerrymoot').count() === 1, '"skerrymoot" not flagged');
	check(await item('Wren').count() === 0 && await item('Agnes').count() === 0, 'names from the tags flagged');
	// The mark is highlighted in the preview... (Check shows the preview too) and the list quotes the sentence.
	check((await item('of').textContent()).includes('Wren could of gone down'), 'the sentence is not quoted');

	// One click fixes "could of" in the text box.
	await item('of').locator('button.check-apply').click();
	check((await page.inputValue('textarea[name=chapter_content]')).includes('Wren could have gone down'),
		'the fix did not reach the text box');
	// Dismiss "the the" (saved at once, no reload), and add "skerrymoot" to the work's names.
	await item('the the').locator('button[name=check_dismiss]').click();
	await page.waitForSelector('li.check-item[data-found="the the"].check-done');
	await item('skerrymoot').locator('button[name=check_name]').click();
	await page.waitForSelector('li.check-item[data-found="skerrymoot"].check-done');
	check((await bodyText(page)).includes('Added to names.'), 'no "Added to names."');

	// Check again: what was dismissed or accepted is gone, the fixed one too.
	await clickAndWait(page, 'button[name=action][value=check]');
	check(await item('the the').count() === 0, 'the dismissed suggestion came back');
	check(await item('skerrymoot').count() === 0, 'the accepted name came back');
	check(await item('of').count() === 0, 'the fixed mistake is still flagged');
	await clickAndWait(page, 'button[name=action][value=post]');
	const chapterPath = new URL(page.url()).pathname;
	check(/\/chapters\/\d+$/.test(chapterPath), `chapter posted at ${page.url()}`);
	let text = await page.textContent('.chapter-text');
	check(text.includes('Wren could have gone down'), `the fix was not posted: ${text}`);
	check(text.includes('watched the the boats'), 'the dismissed words were changed');
	await logOut(page);

	// A reader selects a passage and suggests a change.
	await signUp(page, server, 'careful_reader', PW);
	await page.goto(server.url(chapterPath));
	await page.evaluate(() => {
		const p = [...document.querySelectorAll('.chapter-text p')].find((x) => x.textContent.includes('the the boats'));
		const node = p.firstChild, at = node.data.indexOf('the the boats');
		const r = document.createRange();
		r.setStart(node, at);
		r.setEnd(node, at + 'the the boats'.length);
		const sel = window.getSelection();
		sel.removeAllRanges();
		sel.addRange(r);
	});
	await page.waitForSelector('a.suggest-selection:not([hidden])');
	await clickAndWait(page, 'a.suggest-selection');
	check(await page.inputValue('textarea[name=quote]') === 'the the boats', 'the passage was not filled in');
	await page.fill('textarea[name=replacement]', 'the boats');
	await page.fill('textarea[name=note]', 'A doubled word, I think!');
	await clickAndWait(page, 'form.suggestion-form button[type=submit]');
	check((await bodyText(page)).includes('Your suggestion was sent'), 'no confirmation');
	await screenshot(page, 'suggestion-sent.png');
	await logOut(page);

	// The writer accepts it in the chapter editor: the chapter text changes.
	await logIn(page, server, 'wren_writes', PW);
	await page.goto(server.url('/inbox'));
	check((await bodyText(page)).includes('A doubled word, I think!'), 'the suggestion is not in the inbox');
	await page.goto(server.url(`${chapterPath}/edit`));
	const sg = page.locator('section.reader-suggestions li.suggestion');
	check(await sg.count() === 1, 'the suggestion is not in the chapter editor');
	await screenshot(page, 'suggestion-editor.png');
	await clickAndWait(page, 'section.reader-suggestions button:has-text("Accept")');
	check((await bodyText(page)).includes('Suggestion accepted'), 'no "Suggestion accepted"');
	await page.goto(server.url(chapterPath));
	text = await page.textContent('.chapter-text');
	check(text.includes('watched the boats') && !text.includes('the the boats'), `the chapter did not change: ${text}`);
});

await run();
