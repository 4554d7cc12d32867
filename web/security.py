"""What keeps a local web app local: host checks, a CSRF token on every form, strict headers.

The workbench has no login, so anything a browser can be tricked into sending is a risk: a page
elsewhere POSTing a review (refused without this server's token, which only its own pages carry),
or a DNS-rebinding page reading it (refused by the Host check)."""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import Headers

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

# No scripts at all: the pages need none, and a CSP without script-src means markup that slipped
# past escaping still could not run. Styles and images come only from this server.
HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # not no-referrer: under it browsers send `Origin: null` with form posts, which check_post refuses
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Refused(Exception):
    """A request this server will not act on; the message says why and is safe to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def new_token() -> str:
    """A fresh secret for one server process: forms of an earlier run stop working on restart."""
    return secrets.token_urlsafe(32)


def allowed_hosts(bind: str) -> list[str]:
    """Host names the server answers to: the loopback names, plus the address it is bound to."""
    hosts = list(LOCAL_HOSTS)
    if bind not in hosts and bind not in ("0.0.0.0", "::"):
        hosts.append(bind)
    return hosts


def check_post(headers: Headers, token: str, sent: str | None) -> None:
    """Refuse a state-changing request that did not come from this server's own pages."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise Refused(403, "refused: the request came from another site")
    origin = headers.get("origin")
    if origin and urlsplit(origin).netloc != headers.get("host", ""):
        raise Refused(403, "refused: the request came from another origin")
    if not sent or not hmac.compare_digest(sent.encode(), token.encode()):
        raise Refused(403, "refused: the form's security token is missing or stale; reload the page and try again")


def local_path(target: str | None, default: str) -> str:
    """A redirect target that stays on this server: a path, never another host (`//evil`, `http:`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default
