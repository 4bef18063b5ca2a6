"""End-to-end: `--listen HOST:0` reports the port it bound, and a used address is refused, not shared."""
import socket
import subprocess
import sys

from quire_e2e import QUIRE_BIN, Server, base_env, check, contains, eq, main, status


def test_port_zero_prints_the_bound_address():
    with Server() as srv:
        check(srv.port and srv.port > 0, "no port from the listening line")
        lines = [l for l in srv.log_text().splitlines() if l.startswith("listening on ")]
        eq(lines, ["listening on http://127.0.0.1:%d/" % srv.port], "listening lines")
        status(srv.client().get("/healthz"), 200)


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def test_ipv6_listening_line_brackets_the_address():
    if not ipv6_loopback():
        print("note: no IPv6 loopback here; skipped")
        return
    with Server(args=["--listen", "[::1]:0"]) as srv:  # the later --listen wins
        lines = [l for l in srv.log_text().splitlines() if l.startswith("listening on ")]
        check(len(lines) == 1 and lines[0].startswith("listening on http://[::1]:") and lines[0].endswith("/"),
              "listening lines %r" % lines)
        port = int(lines[0].rsplit(":", 1)[1].rstrip("/"))
        s = socket.create_connection(("::1", port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            data += d
        s.close()
        check(data.startswith(b"HTTP/1.1 200"), "GET /healthz over IPv6: %r" % data[:100])


def test_a_used_address_is_refused_with_a_clear_message():
    with Server() as srv:
        srv.client().signup("first", "first@example.org", "correct horse battery")
        other = Server()  # only for a fresh data dir
        try:
            p = subprocess.run([QUIRE_BIN, "serve", "--no-demo", "--listen", "127.0.0.1:%d" % srv.port,
                                "--data", other.data], capture_output=True, text=True, env=base_env(),
                               timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("a second server on 127.0.0.1:%d kept running instead of refusing" % srv.port)
        finally:
            other.cleanup()
        check(p.returncode != 0, "second server exited with status 0")
        contains(p.stderr, "address 127.0.0.1:%d is already in use" % srv.port, "stderr")
        check("listening on" not in p.stdout, "second server claims to listen: %r" % p.stdout)
        # Every request still reaches the first server and its archive.
        for _ in range(20):
            status(srv.client().get("/users/first"), 200)


if __name__ == "__main__":
    sys.exit(main(globals()))
