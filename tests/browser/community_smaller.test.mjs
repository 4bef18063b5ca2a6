// Browser: the smaller items of running a community (issue 14, point 10) that only a browser shows: on a phone a
// listing puts the works first and its filters behind the "Filters" button; the tag autocomplete fills a
// single-tag field (a wrangler's "synonym of") with the name alone, no trailing ", ", and keeps adding to lists.
import { addUser, postWork, PW } from './admin_helpers.mjs';
import { check, clickAndWait, logIn, run, screenshot, test } from './lib.mjs';

test('a phone sees the works first and opens the filters with a button', async ({ server, page }) => {
	const t = addUser(server, 'phone_writer');
	await postWork(server, t, { title: 'Seen On A Phone' });
	await page.setViewportSize({ width: 390, height: 800 });
	try {
		await page.goto(server.url('/works'));
		check(await page.isVisible('text=Seen On A Phone'), 'the works are shown');
		check(!(await page.isVisible('#filters')), 'the filters wait behind the button');
		const button = page.locator('.filters-button a');
		check(await button.isVisible(), 'the Filters button shows');
		const works = await page.locator('.work-list').boundingBox();
		const btn = await button.boundingBox();
		check(btn.y < works.y, 'the button comes before the works');
		await button.click();
		await page.waitForSelector('#filters', { state: 'visible' });
		const filters = await page.locator('#filters').boundingBox();
		check(filters.y < works.y, 'opened, the filters come first');
		check(await page.isVisible('#filter-sort'), 'the sort control is reachable');
		await screenshot(page, 'phone-filters-open.png');
		await page.click('.filters-close a');
		await page.waitForSelector('#filters', { state: 'hidden' });
		// A wide screen: the sidebar as before, no button.
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.goto(server.url('/works'));
		check(await page.isVisible('#filters'), 'the sidebar on a wide screen');
		check(!(await page.isVisible('.filters-button')), 'no button on a wide screen');
	} finally {
		await page.setViewportSize({ width: 1280, height: 900 });
	}
});

test('the autocomplete puts one tag in a single-tag field and lists in a list field', async ({ server, page }) => {
	const t = addUser(server, 'ac_writer');
	addUser(server, 'ac_wrangler', 'wrangler');
	await postWork(server, t, { title: 'Tagged', freeforms: ['Autocomplete Canonical', 'Autocomplete Other'] });
	await logIn(page, server, 'ac_wrangler', PW);
	await page.goto(server.url('/tags/Autocomplete%20Other/edit'));
	await page.fill('#synonym_of', '');
	await page.type('#synonym_of', 'Autocomplete Can');
	await page.waitForSelector('#synonym_of-suggestions li');
	await page.click('#synonym_of-suggestions li');
	const single = await page.inputValue('#synonym_of');
	check(single === 'Autocomplete Canonical', `single-tag field: ${JSON.stringify(single)}`);
	// A list field (the work form's additional tags) still goes on with ", ".
	await page.goto(server.url('/works/new'));
	await page.type('#freeforms', 'Autocomplete Oth');
	await page.waitForSelector('#freeforms-suggestions li');
	await page.click('#freeforms-suggestions li');
	const list = await page.inputValue('#freeforms');
	check(list === 'Autocomplete Other, ', `list field: ${JSON.stringify(list)}`);
	// The saved synonym is the tag named, as typed by the autocomplete.
	await page.goto(server.url('/tags/Autocomplete%20Other/edit'));
	await page.fill('#synonym_of', '');
	await page.type('#synonym_of', 'Autocomplete Can');
	await page.waitForSelector('#synonym_of-suggestions li');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter');
	check(await page.inputValue('#synonym_of') === 'Autocomplete Canonical', 'chosen by keyboard');
	await clickAndWait(page, 'form.wrangle-form button[type=submit]');
	check(!(await page.content()).includes('field-error'), 'the wrangle was saved without an error');
});

await run();
