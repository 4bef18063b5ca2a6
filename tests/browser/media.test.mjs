// Browser: a work with a fanvid embed (YouTube-style iframe) and an <audio> podfic shows both players, served
// from a test media host on loopback that the site's media_hosts names; the page's CSP allows exactly that host;
// the work's EPUB turns the players into links and passes EPUBCheck.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { check, clickAndWait, run, screenshot, signUp, test } from './lib.mjs';

const EPUBCHECK = '/usr/share/java/epubcheck.jar';

/** One second of silence as a WAV file (8 kHz, 8-bit mono): something a browser really decodes. */
function silentWav() {
	const n = 8000, b = Buffer.alloc(44 + n, 0x80);
	b.write('RIFF', 0); b.writeUInt32LE(36 + n, 4); b.write('WAVE', 8);
	b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
	b.writeUInt32LE(8000, 24); b.writeUInt32LE(8000, 28); b.writeUInt16LE(1, 32); b.writeUInt16LE(8, 34);
	b.write('data', 36); b.writeUInt32LE(n, 40);
	return b;
}

// The media host: a player page for the frame and the podfic file, on a loopback port of its own.
const WAV = silentWav();
const hits = [];
const media = http.createServer((req, res) => {
	hits.push(req.url);
	if (req.url.startsWith('/embed/fanvid')) {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end('<!doctype html><html lang="en"><title>Test player</title><p id="player">Fanvid player ready</p></html>');
	} else if (req.url === '/podfic.wav') {
		// crossorigin="anonymous" (AO3's choice for players) makes this a CORS request.
		res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': WAV.length,
			'Access-Control-Allow-Origin': '*', 'Accept-Ranges': 'none' });
		res.end(req.method === 'HEAD' ? undefined : WAV);
	} else {
		res.writeHead(404);
		res.end();
	}
});
await new Promise((resolve) => media.listen(0, '127.0.0.1', resolve));
const HOST = `127.0.0.1:${media.address().port}`;

const CONTENT = [
	'<p>A fanvid for the show, and the podfic of chapter one.</p>',
	`<iframe width="560" height="315" src="http://${HOST}/embed/fanvid" frameborder="0" allowfullscreen></iframe>`,
	`<audio src="http://${HOST}/podfic.wav" autoplay><a href="http://${HOST}/podfic.wav">Download the podfic</a></audio>`,
	'<p>Thank you for listening!</p>',
].join('\n');

test('an embedded fanvid and a podfic play; the CSP allows their host only; the EPUB is valid', async ({ server, page }) => {
	await signUp(page, server, 'podfic_maker', 'kinetic podfic 2026');
	await page.goto(server.url('/works/new'));
	await page.selectOption('select[name=rating]', 'General Audiences');
	await page.check('input[name=warnings][value="No Archive Warnings Apply"]');
	await page.fill('input[name=fandoms]', 'Harbour Street (TV)');
	await page.fill('input[name=title]', 'Kinetic (Podfic and Vid)');
	await page.selectOption('select[name=chapter_format]', 'html');
	await page.fill('textarea[name=chapter_content]', CONTENT);
	const [resp] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }),
		page.click('button[name=action][value=post]'),
	]);
	check(/^\/works\/\d+$/.test(new URL(page.url()).pathname), `after posting the browser is at ${page.url()}`);

	// The page's policy: frames and media from the media host, nothing else.
	const csp = (await resp.allHeaders())['content-security-policy'] || '';
	const dir = Object.fromEntries(csp.split(';').map((s) => s.trim().split(/\s+/)).filter((w) => w[0])
		.map((w) => [w[0], w.slice(1)]));
	check(JSON.stringify(dir['frame-src']) === JSON.stringify([`http://${HOST}`]), `frame-src: ${csp}`);
	check(JSON.stringify(dir['media-src']) === JSON.stringify([`http://${HOST}`]), `media-src: ${csp}`);

	// The fanvid's frame loads the player.
	const frame = page.locator('.chapter-text iframe');
	check(await frame.count() === 1, 'no embedded player on the page');
	await frame.scrollIntoViewIfNeeded();
	check(await frame.getAttribute('sandbox') !== null, 'the frame has no sandbox');
	check(await frame.getAttribute('referrerpolicy') === 'strict-origin-when-cross-origin', 'referrer policy');
	const player = page.frameLocator('.chapter-text iframe').locator('#player');
	await player.waitFor({ state: 'visible' });
	check((await player.textContent()) === 'Fanvid player ready', 'the frame shows no player');

	// The podfic: a player with controls, not playing by itself, that reads its file.
	const audio = page.locator('.chapter-text audio');
	check(await audio.count() === 1, 'no audio player on the page');
	await audio.scrollIntoViewIfNeeded();
	const state = await audio.evaluate(async (a) => {
		if (a.readyState < 1)
			await new Promise((resolve, reject) => {
				a.addEventListener('loadedmetadata', resolve, { once: true });
				a.addEventListener('error', () => reject(new Error(`media error ${a.error && a.error.code}`)), { once: true });
				a.load();
			});
		return { controls: a.controls, autoplay: a.autoplay, paused: a.paused, duration: a.duration,
			height: a.getBoundingClientRect().height };
	});
	check(state.controls, 'the podfic player has no controls');
	check(!state.autoplay && state.paused, 'the podfic plays by itself');
	check(Math.abs(state.duration - 1) < 0.05, `the podfic's duration is ${state.duration}, not 1 s`);
	check(state.height > 0, 'the podfic player is not shown');
	check(hits.some((u) => u === '/podfic.wav') && hits.some((u) => u.startsWith('/embed/fanvid')),
		`the media host served ${JSON.stringify(hits)}`);
	await screenshot(page, 'media-players.png');

	// The same work's EPUB: the players are links; EPUBCheck finds nothing wrong.
	const href = await page.getAttribute('a[href$=".epub"]', 'href');
	const epub = await page.request.get(server.url(href));
	check(epub.status() === 200, `EPUB download answered ${epub.status()}`);
	const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-epub-'));
	const file = path.join(dir2, 'work.epub');
	fs.writeFileSync(file, await epub.body());
	let out;
	try {
		out = execFileSync('java', ['-jar', EPUBCHECK, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (e) {
		throw new Error(`EPUBCheck failed:\n${e.stdout}${e.stderr}`);
	}
	check(out.includes('No errors or warnings detected'), `EPUBCheck:\n${out}`);
	const chapter = execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1])'
		+ '.read("OEBPS/chapter-1.xhtml").decode())', file], { encoding: 'utf8' });
	fs.rmSync(dir2, { recursive: true, force: true });
	check(!/<iframe|<audio/.test(chapter), 'a player in the EPUB');
	check(chapter.includes(`<a href="http://${HOST}/embed/fanvid" rel="nofollow">[Embedded media: ${HOST}]</a>`),
		`no link to the fanvid in the EPUB:\n${chapter}`);
	check(chapter.includes(`<a href="http://${HOST}/podfic.wav" rel="nofollow">[Audio: http://${HOST}/podfic.wav]</a>`),
		'no link to the podfic in the EPUB');
}, { server: { env: { QUIRE_MEDIA_HOSTS: `http://${HOST}` } } });

try {
	await run();
} finally {
	media.close();
}
