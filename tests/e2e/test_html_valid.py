"""End-to-end: every page family is well-formed HTML (balanced tags, unique ids, labels point at fields),
carries no inline script or style (only our own scripts under /static/), and links only to pages that answer. Run over the demo archive."""
import re
import sys
from html.parser import HTMLParser

from quire_e2e import Server, check, main, status

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets you leave out; our templates close them anyway, so we still check.
PW = "correct horse 42"


class Checker(HTMLParser):
    def __init__(self, where):
        super().__init__(convert_charrefs=True)
        self.where = where
        self.stack = []
        self.ids = set()
        self.label_for = []
        self.problems = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.problems.append("inline event handler %s on <%s>" % (name, tag))
        if "style" in a:
            self.problems.append("inline style on <%s>" % tag)
        if tag == "script" and not a.get("src", "").startswith("/static/"):
            self.problems.append("a <script> element that is not one of ours under /static/")
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append("duplicate id %r" % a["id"])
            self.ids.add(a["id"])
        if tag == "label" and "for" in a:
            self.label_for.append(a["for"])
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.problems.append("</%s> at line %d closes nothing" % (tag, self.getpos()[0]))
            return
        top, line = self.stack[-1]
        if top != tag:
            self.problems.append("</%s> at line %d but <%s> from line %d is open" % (tag, self.getpos()[0], top, line))
            # recover: pop to the matching tag if there is one
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    del self.stack[i:]
                    break
            return
        self.stack.pop()

    def finish(self):
        self.close()
        for tag, line in self.stack:
            self.problems.append("<%s> from line %d never closed" % (tag, line))
        for f in self.label_for:
            if f not in self.ids:
                self.problems.append("label for=%r points at no element" % f)
        return self.problems


def check_page(client, path, want=(200,)):
    r = client.get(path)
    status(r, *want)
    check(r.header("Content-Type", "").startswith("text/html"), "%s is not HTML" % path)
    c = Checker(path)
    c.feed(r.text)
    problems = c.finish()
    check(not problems, "%s:\n  %s" % (path, "\n  ".join(problems)))
    check(r.text.startswith("<!DOCTYPE html>"), "%s does not start with a doctype" % path)
    return r.text, c.links


def pages_for(client):
    """The demo archive's pages a reader walks through, found by following links from the home page."""
    home, links = check_page(client, "/")
    works = sorted({l for l in links if re.fullmatch(r"/works/\d+", l)})
    check(len(works) >= 3, "the home page lists demo works")
    paths = ["/", "/works", "/works?page=2", "/signup", "/login", "/prefs", "/docs/api", "/no/such/page"]
    for w in works[:4]:
        paths += [w, w + "?view_full_work=true", w + "/navigate"]
    return paths


def walk(client, paths, seen_links):
    for p in paths:
        want = (404,) if p == "/no/such/page" else (200,)
        _, links = check_page(client, p, want)
        seen_links.update(l.split("#")[0] for l in links)


def test_guest_pages_are_well_formed_and_links_answer():
    with Server(demo=True) as srv:
        c = srv.client()
        seen = set()
        paths = pages_for(c)
        walk(c, paths, seen)
        # chapter pages, reached from the works' chapter links
        chapters = sorted(l for l in seen if re.fullmatch(r"/works/\d+/chapters/\d+", l))
        check(chapters, "chapter links are present")
        walk(c, chapters[:6], seen)
        # every local link a guest sees answers (no dead links, no 500s)
        for link in sorted(seen):
            if link.startswith("/static/"):
                continue
            r = c.get(link)
            check(r.status in (200, 303), "link %s answers %d" % (link, r.status))


def test_author_pages_are_well_formed():
    with Server(demo=True) as srv:
        c = srv.client()
        c.signup("htmlcheck", "htmlcheck@example.org", PW)
        _, links = check_page(c, "/account")
        check_page(c, "/works/new")
        # post a work, then walk its author tools
        c.get("/works/new")
        r = c.post_form("/works", {
            "title": "Well Formed", "rating": "General Audiences", "warnings": "No Archive Warnings Apply",
            "fandoms": "Original Work", "chapter_format": "text", "action": "post",
            "chapter_content": "A chapter with enough words to post.\n\nAnd a second paragraph."}, csrf=True)
        status(r, 303)
        work = r.header("Location")
        work = re.sub(r"^https?://[^/]+", "", work).split("?")[0]  # without ?notice=posted
        text, links = check_page(c, work)
        for p in [work + "/edit", work + "/chapters/new", work + "/chapters/manage", work + "/delete",
                  "/users/htmlcheck", "/users/htmlcheck/works"]:
            check_page(c, p)
        edit = next((l for l in links if re.fullmatch(re.escape(work) + r"/chapters/\d+/edit", l)), None)
        check(edit is not None, "the work page links to its chapter's edit form")
        check_page(c, edit)
        # a rejected form is well-formed too
        r = c.post_form("/works", {"title": "", "action": "post"}, csrf=True)
        status(r, 422)
        ch = Checker("/works (422)")
        ch.feed(r.text)
        problems = ch.finish()
        check(not problems, "rejected work form:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    sys.exit(main(globals()))
