"""Helpers for the tests of running a community (issue 14): accounts with roles, logged-in clients, works through
the API, JSON calls, and what a page shows to whom."""
import html
import json
import re
import urllib.parse

from quire_e2e import check, eq, run_cli, status

PW = "a long password 14"


def add_user(srv, name, role=None, email=None):
    """Creates an account through the CLI (any role) and returns its API token."""
    args = ["user", "add", name, email or "%s@example.org" % name] + (["--role", role] if role else [])
    p = run_cli(args, data=srv.data, stdin=PW + "\n")
    eq(p.returncode, 0, "user add %s (stderr: %s)" % (name, p.stderr))
    p = run_cli(["token", "add", name], data=srv.data)
    eq(p.returncode, 0, "token add %s (stderr: %s)" % (name, p.stderr))
    return p.stdout.strip()


def login(srv, name, password=PW):
    """A client logged in as name through the log-in form."""
    c = srv.client()
    r = c.login(name, password)
    status(r, 303)
    check("quire_session" in c.cookies, "log-in as %s set no session cookie: %s" % (name, r.text[:500]))
    return c


def api(srv, method, path, body=None, token=None):
    h = {"Accept": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        h["Content-Type"] = "application/json"
    return srv.client().request(method, path, body=data, headers=h)


def post_work(srv, token, **fields):
    """A work posted through the API (fields override the defaults); returns its JSON."""
    body = {"title": "Untitled", "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
            "categories": [], "fandoms": ["Saltmarsh Tales"], "relationships": [], "characters": [],
            "freeforms": [], "language": "English", "complete": False, "restricted": False,
            "chapter": {"content": "Nothing much happens in this chapter at all, which is restful.",
                        "format": "text"}}
    body.update(fields)
    r = api(srv, "POST", "/api/v1/works", body, token)
    status(r, 201)
    return r.json()


def qs(params):
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def tag_path(name):
    """/tags/NAME as the archive writes it (AO3's escapes for / & . ? #)."""
    for a, b in (("*", "*"), ("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")):
        name = name.replace(a, b) if a != "*" else name
    return "/tags/" + urllib.parse.quote(name, safe="*")


def text_of(page):
    """The visible text of an HTML page, white space folded."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def form_field(page, name):
    """The value of the first input named name (None when absent)."""
    for tag in re.findall(r"<input\b[^>]*>", page, re.I):
        if re.search(r"""\bname\s*=\s*["']?%s["'\s/>]""" % re.escape(name), tag, re.I):
            m = re.search(r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.I)
            return html.unescape(next(g for g in m.groups() if g is not None)) if m else ""
    return None


def settings(c, **values):
    """Saves site settings through the admin page (the other fields as they are)."""
    page = c.get("/admin/settings").text
    fields = {}
    for key in ("site_name", "site_description", "signup_mode", "invitations_per_day", "comment_policy", "mail_from"):
        m = re.search(r'name="%s" value="([^"]*)"' % key, page)
        sel = re.search(r'<select id="set-%s" name="%s">(.*?)</select>' % (key, key), page, re.S)
        if m:
            fields[key] = m.group(1)
        elif sel:
            fields[key] = re.search(r'<option value="([^"]*)" selected', sel.group(1)).group(1)
    fields.update(values)
    return c.post_form("/admin/settings", list(fields.items()))
