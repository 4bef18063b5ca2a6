"""End-to-end: honest client addresses. X-Forwarded-For is believed only from trusted proxies, rate limits
key on the real client (IPv6 per /64), and log-ins by name and by e-mail share one per-account limit."""
import sys

from quire_e2e import Server, check, contains, eq, main, status

PW = "correct horse 42"


def failed_login(c, name, xff=None):
    """One log-in with a wrong password (or unknown name); returns the status (401, or 429 when limited)."""
    headers = {"X-Forwarded-For": xff} if xff else None
    c.get("/login", headers=headers)
    r = c.post_form("/login", [("username", name), ("password", "wrong password!")], headers=headers)
    check(r.status in (401, 429), "failed log-in answered %d" % r.status)
    if r.status == 429:
        check(r.header("Retry-After"), "429 without Retry-After")
    return r.status


def exhaust_ip_limit(c, xff):
    """The per-address limit is 20 failures in 15 minutes; distinct names keep the per-account one out of it."""
    for i in range(20):
        eq(failed_login(c, "nobody%d" % i, xff), 401, "failure %d from %s" % (i + 1, xff))
    eq(failed_login(c, "nobody-more", xff), 429, "failure 21 from %s" % xff)


def test_behind_a_trusted_proxy_each_client_has_its_own_limit():
    with Server(args=["--trusted-proxies", "127.0.0.1"]) as srv:
        c = srv.client()
        exhaust_ip_limit(c, "203.0.113.1")
        # Another reader behind the same proxy is not locked out.
        eq(failed_login(c, "someone", "203.0.113.2"), 401, "a different client behind the proxy")
        # A client cannot escape by writing its own X-Forwarded-For: the proxy appends the real address,
        # and the right-most address that is not a trusted proxy is the client.
        eq(failed_login(c, "someone", "198.51.100.9, 203.0.113.1"), 429, "spoofed left-most entry")
        srv.wait_for_log("access 203.0.113.1 ")


def test_without_trusted_proxies_the_header_is_ignored():
    with Server() as srv:
        c = srv.client()
        exhaust_ip_limit(c, "203.0.113.1")
        eq(failed_login(c, "someone", "203.0.113.2"), 429, "the header is the client's own claim")


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    with Server(env={"QUIRE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}) as srv:
        c = srv.client()
        exhaust_ip_limit(c, "198.51.100.7, 10.1.1.1")
        eq(failed_login(c, "someone", "198.51.100.7, 10.2.2.2"), 429, "same client through another inner proxy")
        eq(failed_login(c, "someone", "198.51.100.8, 10.1.1.1"), 401, "another client through the same proxies")


def test_ipv6_clients_are_limited_per_64():
    with Server(args=["--trusted-proxies", "127.0.0.1"]) as srv:
        c = srv.client()
        for i in range(20):
            eq(failed_login(c, "nobody%d" % i, "2001:db8:1:2::%x" % (i + 1)), 401, "failure %d" % (i + 1))
        eq(failed_login(c, "nobody-more", "2001:db8:1:2:ffff:ffff:ffff:ffff"), 429, "same /64")
        eq(failed_login(c, "nobody-more", "2001:db8:1:3::1"), 401, "another /64")


def test_name_and_email_share_one_account_limit():
    with Server() as srv:
        c = srv.client()
        status(c.signup("Sharer", "sharer@example.org", PW), 303)
        c.logout()
        for i in range(5):
            eq(failed_login(c, "sharer"), 401, "failure %d by name" % (i + 1))
            eq(failed_login(c, "Sharer@Example.org"), 401, "failure %d by e-mail" % (i + 1))
        # Ten failures for the account, half by each spelling: both are now locked.
        eq(failed_login(c, "SHARER"), 429, "by name after ten failures")
        eq(failed_login(c, "sharer@example.org"), 429, "by e-mail after ten failures")
        c.get("/login")
        r = c.post_form("/login", [("username", "sharer@example.org"), ("password", PW)])
        eq(r.status, 429, "even the right password waits")


if __name__ == "__main__":
    sys.exit(main(globals()))
