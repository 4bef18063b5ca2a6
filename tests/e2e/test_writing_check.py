"""End-to-end: the writer's check in previews ("Before you post"): unknown words with suggestions, names from
the tags never counted, doubled words, a language without a dictionary, chapter previews; nothing is saved."""
import html
import re
import sys

from quire_e2e import check, contains, eq, main, not_contains, status, Server
from test_works import post_work, user, work_fields


def check_box(page):
    m = re.search(r'<section class="writing-check".*?</section>', page, re.S)
    check(m is not None, "the preview has a writer's check")
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(0)))


def test_work_and_chapter_previews():
    with Server() as srv:
        author = user(srv, "careful_writer")
        author.get("/works/new")
        r = author.post_form("/works", work_fields(
            title="The Keeper", characters="Wren Ashby, Agnes Hale", action="preview",
            chapter_content="Wren did not recieve the letter. Agnes climbed the the stair to teh lamp room; "
                            "Wren did not recieve a reply either."))
        status(r, 200)
        box = check_box(r.text)
        contains(box, "Before you post")
        contains(box, "2 words not in the English dictionary (en_US)")
        contains(box, "recieve ×2 — perhaps receive")
        contains(box, "teh")
        contains(box, "Doubled words: “the the”")
        for name in ("Wren", "Agnes", "Maya", "Theo", "careful_writer"):
            not_contains(box, name + " ", "names are not spelling mistakes")
        eq(len(re.findall(r'class="blurb', author.get("/users/careful_writer").text)), 0, "a preview saves nothing")

        # Clean text says so; a language without a dictionary says that.
        r = author.post_form("/works", work_fields(action="preview", chapter_content="The lamp was lit at dusk."))
        contains(check_box(r.text), "No spelling mistakes found (en_US dictionary)")
        r = author.post_form("/works", work_fields(action="preview", language="Klingon",
                                                   chapter_content="Qapla' batlh je."))
        contains(check_box(r.text), "no spelling dictionary for Klingon")

        # Adding a chapter: its preview is checked too.
        wid = post_work(author, title="Lamps")
        author.get("/works/%d/chapters/new" % wid)
        r = author.post_form("/works/%d/chapters" % wid, [
            ("chapter_title", "Two"), ("chapter_content", "The tide came in and and the causway flooded."),
            ("chapter_format", "text"), ("chapter_notes", ""), ("chapter_end_notes", ""), ("chapter_summary", ""),
            ("action", "preview")])
        status(r, 200)
        box = check_box(r.text)
        contains(box, "causway")
        contains(box, "“and and”")


if __name__ == "__main__":
    sys.exit(main(globals(), sys.argv[1:]))
