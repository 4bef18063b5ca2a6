// Browser: a reader filters the demo archive (include, exclude), searches inside chapter text, uses tag
// autocomplete and tag links; a wrangler sees the queue. Screenshots of each step go to the artifacts.
import { spawnSync } from 'node:child_process';
import { check, clickAndWait, pathOf, QUIRE_BIN, run, screenshot, test } from './lib.mjs';

async function bodyText(page) {
	return (await page.textContent('body')).replace(/\s+/g, ' ');
}

async function workCount(page) {
	return page.locator('ol.work-list > li.blurb').count();
}

test('filter, exclude, search inside text, autocomplete, follow tags', async ({ server, page }) => {
	let resp = await page.goto(server.url('/works'));
	check(resp.status() === 200, `GET /works answered ${resp.status()}`);
	check(await page.locator('aside.filters').count() === 1, 'no filter sidebar on /works');
	check(await workCount(page) === 11, 'the demo archive has 11 works');
	await screenshot(page, 'finding-works.png');

	// Include a fandom from the sidebar: its meta tag covers The Odyssey too.
	await page.check('fieldset.filter-include input[name=tags][value="Greek Mythology"]');
	await clickAndWait(page, 'aside.filters form button[type=submit]');
	check(pathOf(page).includes('tags=Greek+Mythology') || pathOf(page).includes('tags=Greek%20Mythology'),
		`include went to ${pathOf(page)}`);
	check(await workCount(page) === 3, `Greek Mythology lists ${await workCount(page)} works, want 3`);
	let text = await bodyText(page);
	check(text.includes('What the Loom Remembers'), 'the Odyssey work (under the meta tag) is missing');
	check(await page.isChecked('fieldset.filter-include input[name=tags][value="Greek Mythology"]'),
		'the included tag is not checked after filtering');
	await screenshot(page, 'finding-include.png');

	// Exclude a warning: the form keeps the inclusion, the URL says both.
	await page.locator('fieldset.filter-exclude details').first().evaluate((d) => { d.open = true; });
	await page.check('fieldset.filter-exclude input[name=exclude_tags][value="Creator Chose Not To Use Archive Warnings"]');
	await clickAndWait(page, 'aside.filters form button[type=submit]');
	check(pathOf(page).includes('exclude_tags=Creator'), `exclude went to ${pathOf(page)}`);
	check(await workCount(page) === 1, `after excluding, ${await workCount(page)} works, want 1`);
	text = await bodyText(page);
	check(!text.includes('This Time, She Leads') && !text.includes('What the Loom Remembers'),
		'an excluded work is still listed');
	check(text.includes('Les grenades de l'), 'the work without that warning is missing');
	await screenshot(page, 'finding-exclude.png');
	// The state is a URL: opening it again gives the same list.
	const shared = page.url();
	await page.goto(shared);
	check(await workCount(page) === 1, 'the shared URL does not give the same list');

	// Search inside chapter text, with the match highlighted.
	resp = await page.goto(server.url('/search'));
	check(resp.status() === 200, 'GET /search');
	await page.fill('#filter-q', '"end of the causeway"');
	await clickAndWait(page, 'aside.filters form button[type=submit]');
	check(await workCount(page) === 1, `the phrase finds ${await workCount(page)} works, want 1`);
	text = await bodyText(page);
	check(text.includes('The Lighthouse Keeper'), 'the phrase does not find the lighthouse story');
	const mark = await page.locator('blockquote.snippet mark').first().textContent();
	check(/end of the causeway/i.test(mark), `the snippet marks "${mark}"`);
	await screenshot(page, 'finding-search.png');
	// Excluding a word of that work leaves nothing; FTS syntax typed in is just text.
	await page.fill('#filter-q', '"end of the causeway" -lighthouse');
	await clickAndWait(page, 'aside.filters form button[type=submit]');
	check(await workCount(page) === 0, 'the excluded word did not exclude');
	await page.fill('#filter-q', 'NEAR( "* :');
	await clickAndWait(page, 'aside.filters form button[type=submit]');
	check((await page.title()).length > 0 && !(await bodyText(page)).includes('Internal'), 'FTS syntax broke the page');

	// Autocomplete suggests existing tags as one types; choosing one fills the field.
	await page.goto(server.url('/works'));
	await page.click('#filter-tags');
	await page.keyboard.type('wren');
	await page.waitForSelector('.autocomplete-list li', { timeout: 5000 });
	const suggestion = await page.locator('.autocomplete-list li').first().textContent();
	check(suggestion.includes('Wren Ashby'), `autocomplete suggested "${suggestion}"`);
	await screenshot(page, 'finding-autocomplete.png');
	await page.locator('.autocomplete-list li').first().dispatchEvent('mousedown');
	const value = await page.inputValue('#filter-tags');
	check(value.startsWith('Wren Ashby'), `choosing a suggestion gave "${value}"`);
	await clickAndWait(page, 'aside.filters form button[type=submit]');
	check(await workCount(page) === 2, `Wren's works: ${await workCount(page)}`);

	// Tags are links; a synonym's page lists its canonical tag's works.
	await clickAndWait(page, 'li.blurb a.tag:has(bdi:text-is("Wren Ashby & Agnes Hale"))');
	check((await page.textContent('h1')).trim() === 'Wren Ashby & Agnes Hale', 'the tag link leads elsewhere');
	await page.goto(server.url('/tags/Pers%C3%A9phone'));
	text = await bodyText(page);
	check(text.includes('This tag is a synonym of Persephone (Greek Mythology)'), 'synonym notice missing');
	check(await workCount(page) === 2, 'the synonym lists its canonical tag\'s works');
	await screenshot(page, 'finding-synonym.png');
	await page.goto(server.url('/media'));
	check((await bodyText(page)).includes('Books & Literature (6)'), 'the directory counts fandoms');
	await screenshot(page, 'finding-media.png');
}, { server: { demo: true } });

test('a wrangler works through the queue', async ({ server, page }) => {
	const r = spawnSync(QUIRE_BIN, ['user', 'add', 'wrangler1', 'w1@example.org', '--role', 'wrangler',
		'--data', server.data], { input: 'wrangling is fun 1\n', env: { ...process.env, QUIRE_PASSWORD_COST: 'min' } });
	check(r.status === 0, `user add: ${r.stderr}`);
	await page.goto(server.url('/login'));
	await page.fill('input[name=username]', 'wrangler1');
	await page.fill('input[name=password]', 'wrangling is fun 1');
	await clickAndWait(page, 'form[action="/login"] button[type=submit]');
	await page.goto(server.url('/wrangling'));
	check((await bodyText(page)).includes('Unwrangled tags by fandom'), 'no queue');
	await clickAndWait(page, 'section.queue-fandoms a >> nth=0');
	check(await page.locator('table.queue-table tbody tr').count() > 0, 'the fandom has no unwrangled tags listed');
	await screenshot(page, 'finding-queue.png');
	await clickAndWait(page, 'table.queue-table a:text-is("Wrangle") >> nth=0');
	check(await page.locator('form.wrangle-form').count() === 1, 'no wrangling form');
	await page.check('input[name=canonical]');
	await clickAndWait(page, 'form.wrangle-form button[type=submit]');
	check((await bodyText(page)).includes('canonical'), 'the tag did not become canonical');
	await screenshot(page, 'finding-wrangled.png');
}, { server: { demo: true } });

await run();
