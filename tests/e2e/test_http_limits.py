"""End-to-end: health, security headers, error pages, and the HTTP limits (methods, sizes, timeouts, bad encodings)."""
import socket
import sys
import time

from quire_e2e import Server, check, contains, eq, main, parse_raw, status


def csp_directives(value):
    """{directive: [sources]} of a Content-Security-Policy header."""
    out = {}
    for part in (value or "").split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def assert_security_headers(headers, what):
    """headers: anything with a case-insensitive .get (http.client message or parse_raw's lower-case dict)."""
    get = headers.get
    csp = get("Content-Security-Policy") or get("content-security-policy")
    check(csp, "%s: no Content-Security-Policy header" % what)
    d = csp_directives(csp)
    check("'self'" in d.get("default-src", []), "%s: CSP lacks default-src 'self': %s" % (what, csp))
    check("'none'" in d.get("frame-ancestors", []), "%s: CSP lacks frame-ancestors 'none': %s" % (what, csp))
    scripts = d.get("script-src", d.get("default-src", []))
    check("'unsafe-inline'" not in scripts, "%s: script-src allows 'unsafe-inline': %s" % (what, csp))
    check("'unsafe-eval'" not in scripts, "%s: script-src allows 'unsafe-eval': %s" % (what, csp))
    nosniff = get("X-Content-Type-Options") or get("x-content-type-options")
    check((nosniff or "").strip().lower() == "nosniff", "%s: X-Content-Type-Options is %r" % (what, nosniff))
    check(get("Referrer-Policy") or get("referrer-policy"), "%s: no Referrer-Policy header" % what)


def still_serving(srv):
    r = srv.client().get("/healthz")
    status(r, 200)


def raw_get(srv, target, extra=b""):
    return parse_raw(srv.raw(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra +
                             b"Connection: close\r\n\r\n"))


def test_healthz():
    with Server() as srv:
        r = srv.client().get("/healthz")
        status(r, 200)
        eq(r.text.strip(), "ok", "healthz body")


def test_home_is_html_with_security_headers():
    with Server() as srv:
        r = srv.client().get("/")
        status(r, 200)
        check(r.header("Content-Type", "").startswith("text/html"), "Content-Type %r" % r.header("Content-Type"))
        contains(r.text, "Quire")
        assert_security_headers(r.headers, "GET /")


def test_static_stylesheet():
    with Server() as srv:
        r = srv.client().get("/static/style.css")
        status(r, 200)
        check(r.header("Content-Type", "").startswith("text/css"), "Content-Type %r" % r.header("Content-Type"))
        check(len(r.body) > 0, "empty stylesheet")
        assert_security_headers(r.headers, "GET /static/style.css")


def test_unknown_path_is_html_404_in_layout():
    with Server() as srv:
        r = srv.client().get("/no/such/page")
        status(r, 404)
        check(r.header("Content-Type", "").startswith("text/html"), "Content-Type %r" % r.header("Content-Type"))
        contains(r.text, "Quire")
        check("404" in r.text or "not found" in r.text.lower(), "404 page says neither 404 nor not found")
        assert_security_headers(r.headers, "404 page")


def test_unknown_path_with_json_accept_is_json_404():
    with Server() as srv:
        r = srv.client().get("/no/such/page", headers={"Accept": "application/json"})
        status(r, 404)
        check(r.header("Content-Type", "").startswith("application/json"), "Content-Type %r" % r.header("Content-Type"))
        err = r.json()["error"]
        eq(err["code"], "not_found", "error.code")
        check(isinstance(err["message"], str) and err["message"], "error.message %r" % err.get("message"))
        assert_security_headers(r.headers, "JSON 404")


def test_api_paths_answer_json_errors():
    with Server() as srv:
        c = srv.client()
        for path in ("/api/v1/no-such-thing", "/api/nothing", "/api/v1/works/999999999"):
            r = c.get(path)  # no Accept header: /api/ is JSON regardless
            check(r.status >= 400, "%s answered %d" % (path, r.status))
            check(r.header("Content-Type", "").startswith("application/json"),
                  "%s Content-Type %r" % (path, r.header("Content-Type")))
            err = r.json()["error"]
            check(isinstance(err.get("code"), str) and err["code"], "%s: error.code %r" % (path, err))
            check(isinstance(err.get("message"), str), "%s: error.message %r" % (path, err))
        r = c.get("/api/v1/no-such-thing")
        status(r, 404)
        eq(r.json()["error"]["code"], "not_found", "error.code")


def test_unknown_method_is_refused_and_server_keeps_serving():
    with Server() as srv:
        st, h, body = parse_raw(srv.raw(b"BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        check(st in (405, 501), "BREW / answered %d" % st)
        still_serving(srv)
        st, h, body = parse_raw(srv.raw(b"BREW /no/such HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        check(st in (404, 405, 501), "BREW /no/such answered %d" % st)
        still_serving(srv)


def test_delete_on_a_page_is_405_with_allow():
    with Server() as srv:
        r = srv.client().request("DELETE", "/")
        status(r, 405)
        allow = r.header("Allow")
        check(allow, "405 without an Allow header")
        check("GET" in [m.strip().upper() for m in allow.split(",")], "Allow %r lacks GET" % allow)
        assert_security_headers(r.headers, "405 response")
        still_serving(srv)


def test_body_over_limit_by_content_length_is_413():
    with Server() as srv:
        req = (b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Content-Type: application/x-www-form-urlencoded\r\n"
               b"Content-Length: 20000000\r\nConnection: close\r\n\r\nusername=a&password=b")
        st, h, body = parse_raw(srv.raw(req, timeout=10))
        eq(st, 413, "status for a 20 MB Content-Length")
        still_serving(srv)


def test_chunked_body_over_limit_is_413():
    # No Content-Length: the server has to count bytes as they arrive.
    with Server() as srv:
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
        s.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                  b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        chunk = b"a" * 65536
        piece = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        sent = 0
        try:
            while sent < 10 * 1024 * 1024:  # 10 MiB > the 8 MiB default
                s.sendall(piece)
                sent += len(chunk)
            s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed early: fine
        data = b""
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    break
                data += d
                if b"\r\n\r\n" in data:
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        s.close()
        st, h, body = parse_raw(data)
        eq(st, 413, "status for a 10 MiB chunked body")
        still_serving(srv)


def test_ordinary_headers_of_a_few_kib_are_fine():
    with Server() as srv:
        st, h, body = raw_get(srv, b"/healthz", b"Cookie: x=" + b"c" * 4000 + b"\r\n" +
                              b"".join(b"X-Filler-%d: %s\r\n" % (i, b"f" * 200) for i in range(10)))
        eq(st, 200, "status with ~6 KiB of headers")


def test_header_line_over_16k_is_431():
    with Server() as srv:
        st, h, body = raw_get(srv, b"/", b"X-Big: " + b"b" * 17000 + b"\r\n")
        if st == 413:
            print("note: 413 instead of 431 for an oversized header line")
        check(st in (431, 413), "status %d for a 17 KB header line, want 431" % st)
        still_serving(srv)


def test_many_headers_over_16k_total_is_431():
    with Server() as srv:
        extra = b"".join(b"X-H-%d: %s\r\n" % (i, b"h" * 1000) for i in range(20))
        st, h, body = raw_get(srv, b"/", extra)
        if st == 413:
            print("note: 413 instead of 431 for 20 KB of headers")
        check(st in (431, 413), "status %d for 20 KB of headers, want 431" % st)
        still_serving(srv)


def test_url_over_8k_is_414():
    with Server() as srv:
        for n in (9000, 15000):
            st, h, body = raw_get(srv, b"/?q=" + b"u" * n)
            eq(st, 414, "status for a %d-byte URL" % n)
        st, h, body = raw_get(srv, b"/works/" + b"p" * 9000)
        eq(st, 414, "status for a 9000-byte path")
        still_serving(srv)


def wait_closed(s, limit):
    """Seconds until the peer closes s (reading and discarding any response), or None past limit."""
    t0 = time.monotonic()
    s.settimeout(0.5)
    while time.monotonic() - t0 < limit:
        try:
            d = s.recv(4096)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return time.monotonic() - t0
        if not d:
            return time.monotonic() - t0
    return None


def test_slow_client_is_disconnected_after_timeout():
    with Server(env={"QUIRE_TIMEOUT": "2"}) as srv:
        half = socket.create_connection(("127.0.0.1", srv.port))
        half.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        idle = socket.create_connection(("127.0.0.1", srv.port))
        body = socket.create_connection(("127.0.0.1", srv.port))
        body.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 100\r\n\r\nusername=")
        try:
            for name, s in (("half a request line", half), ("an idle connection", idle), ("half a body", body)):
                took = wait_closed(s, 6.0)
                check(took is not None, "connection with %s still open after 6 s (timeout 2 s)" % name)
        finally:
            for s in (half, idle, body):
                s.close()
        still_serving(srv)


def assert_400_html(srv, st, h, body, what):
    eq(st, 400, "status for %s" % what)
    check(h.get("content-type", "").startswith("text/html"), "%s: Content-Type %r" % (what, h.get("content-type")))
    text = body.decode("utf-8", "replace")
    contains(text, "Quire", "%s error page" % what)
    assert_security_headers(h, "400 for %s" % what)
    still_serving(srv)


def test_bad_encoding_in_path_and_query_is_400():
    with Server() as srv:
        for target, what in ((b"/works/%FF", "invalid UTF-8 in the path"),
                             (b"/works/%zz", "broken percent-encoding in the path"),
                             (b"/works/%4", "truncated percent-encoding in the path"),
                             (b"/%C0%AF", "overlong UTF-8 in the path"),
                             (b"/works/%00", "NUL in the path"),
                             (b"/works/\xff\xfe", "raw invalid UTF-8 bytes in the path"),
                             (b"/?q=%E0%A4", "truncated UTF-8 in the query"),
                             (b"/?q=%zz", "broken percent-encoding in the query"),
                             (b"/?%FF=1", "invalid UTF-8 in a query key")):
            st, h, body = raw_get(srv, target)
            assert_400_html(srv, st, h, body, what)


def test_bad_encoding_in_form_body_is_400():
    with Server() as srv:
        c = srv.client()
        c.get("/login")
        token = c.csrf_token("/login")
        cookie = "; ".join("%s=%s" % kv for kv in c.cookies.items()).encode()
        for form, what in ((b"username=%FF%FE&password=x", "invalid UTF-8 in a form value"),
                           (b"username=%zz&password=x", "broken percent-encoding in a form value"),
                           (b"user%E0%A4=a&password=x", "truncated UTF-8 in a form key"),
                           (b"username=a\xff&password=x", "a raw invalid byte in a form value")):
            body = form + b"&csrf_token=" + token.encode()
            req = (b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + cookie + b"\r\n"
                   b"Content-Type: application/x-www-form-urlencoded\r\n"
                   b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
            st, h, resp = parse_raw(srv.raw(req))
            assert_400_html(srv, st, h, resp, what)


def test_many_bad_requests_in_a_row_do_not_break_the_server():
    with Server() as srv:
        junk = [b"\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
                b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                b"\x00\x01\x02\x03", b"GET /" + b"%" * 100 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
                b"POST /login HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]
        for j in junk * 3:
            srv.raw(j, timeout=1)
            check(srv.alive(), "server died after %r" % j[:40])
        still_serving(srv)


if __name__ == "__main__":
    sys.exit(main(globals()))
