"""Canonical article URLs: one spelling per article, still pointing at the publisher.

Hand-written on urllib.parse rather than courlan (installed, via trafilatura) or w3lib (not installed):
courlan's `normalize_url` keeps fragments, turns non-UTF-8 escapes such as `%e9` into `%EF%BF%BD` (a
different URL), drops blank parameters (`?amp`), leaves `/a/../b` alone, decodes IDNA hosts to Unicode,
and its tracker pattern also removes any parameter that starts with `ref`, `source`, `session` or `uid`
(real article ids on some sites). w3lib's `canonicalize_url` would fit better but keeps default ports,
dot segments and every tracker, so it would only save the percent-encoding loop below, not worth a
dependency.

Rules, in order (RFC 3986 section 6 plus tracker removal):
- resolve against `base`; only absolute http(s) URLs are accepted (ValueError otherwise);
- scheme and host lower case, host IDNA-encoded (ASCII, as sent on the wire), trailing dot dropped;
  "www." is kept: the publisher decides which host serves the page;
- default port (80/443) dropped, user info kept;
- path: dot segments removed, empty path -> "/";
- percent-encoding: escapes of unreserved characters decoded (%7E -> ~), other escapes upper case,
  characters that are not allowed (spaces, non-ASCII) encoded as UTF-8;
- query: tracking parameters dropped (TRACKING_PARAMS, TRACKING_PREFIXES, and REFERRAL_PARAMS when their
  value is a referral marker such as "rss" or "twitter"), the rest sorted, "+" kept as is; empty query and
  trailing "?" removed;
- fragment removed.
"""

from __future__ import annotations

import re
import string
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import idna

__all__ = [
    "REFERRAL_PARAMS",
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "canonicalize_url",
    "url_host",
]

# Compared lower case. Sources: each vendor's documentation of its click/campaign identifiers.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "igsh", "li_fat_id", "epik", "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl", "_hsenc", "_hsmi",
        "hsctatracking", "xtor", "xts", "xtref", "ocid", "cmpid", "cmp", "spm", "scm", "ref_src", "ref_url",
        "smid", "smtyp", "wt.mc_id", "wt.mc_ev", "s_cid", "sr_share", "ito", "__twitter_impression",
        "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid",
    }
)  # fmt: skip
TRACKING_PREFIXES = (
    "utm_",  # Google Analytics campaigns
    "at_",  # AT Internet / Piano (at_medium, at_campaign, at_send_date...), common on French news sites
    "ns_",  # comScore (ns_mchannel, ns_source, ns_campaign), BBC
    "pk_",  # Matomo campaigns
    "mtm_",  # Matomo campaigns
)
# Tracking only when the value says where the click came from ("?ref=rss"): the same names carry
# article ids or pagination on some sites ("?ref=12345", "?from=20").
REFERRAL_PARAMS = frozenset({"ref", "source", "src", "from", "origin", "via", "share"})
_REFERRAL_VALUES = frozenset(
    {
        "rss", "feed", "feeds", "atom", "newsletter", "email", "mail", "nl", "push", "notification", "twitter",
        "tw", "twsrc", "x", "facebook", "fb", "linkedin", "whatsapp", "wa", "telegram", "instagram", "social",
        "share", "sharing", "hp", "home", "homepage", "une", "nav", "menu", "header", "footer", "related",
        "google", "gnews", "googlenews", "flipboard", "applenews", "apple_news", "msn", "yahoo", "sidebar",
        "widget", "app", "amp", "copy", "copylink", "mobile",
    }
)  # fmt: skip
_REFERRAL_TOKEN = re.compile(r"[a-z]+")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = frozenset(_UNRESERVED | set(_SUB_DELIMS) | set(":@/"))
# In a query part "&" and "=" are structure, handled by the caller; "+" is kept literally.
_QUERY_SAFE = frozenset((_PATH_SAFE | set("?")) - set("&="))
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_CONTROL_WS = re.compile(r"[\t\r\n]")


def canonicalize_url(url: str, *, base: str | None = None) -> str:
    """Canonical form of an article URL (see the module docstring); ValueError if it is not http(s)."""
    # Like browsers (WHATWG URL standard): tabs and newlines inside an href are dropped, not encoded.
    raw = _CONTROL_WS.sub("", url.strip())
    if base:
        raw = urljoin(base.strip(), raw)
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {url!r}" + (f" (base {base!r})" if base else ""))
    netloc = _netloc(parts.netloc, scheme)
    # Encoding first, so that "%2E%2E" is decoded to ".." before dot segments go (RFC 3986 section 6.2.2).
    path = _remove_dot_segments(_encode(parts.path, _PATH_SAFE)) or "/"
    return urlunsplit((scheme, netloc, path, _query(parts.query), ""))


def url_host(url: str) -> str:
    """The URL's host as canonicalize_url writes it (lower case, IDNA, no port); "" when it has none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # e.g. an unbalanced "[" in the netloc
        return ""
    return _host(host) if host else ""


def _netloc(netloc: str, scheme: str) -> str:
    userinfo, _, hostport = netloc.rpartition("@")
    parsed = urlsplit(f"//{hostport}")
    if not parsed.hostname:
        raise ValueError(f"URL has no host: {netloc!r}")
    try:
        port = parsed.port
    except ValueError as exc:
        raise ValueError(f"bad port in {netloc!r}") from exc
    host = _host(parsed.hostname)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{userinfo}@{host}" if userinfo else host


def _host(host: str) -> str:
    host = host.rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        # Not a valid IDNA name (e.g. an underscore label): keep it readable rather than refuse the URL.
        return host


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 ("/a/b/../c/./d" -> "/a/c/d"); urljoin only does it for relative links."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        elif segment == ".":
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") or not path.startswith("/") else "/" + result


def _encode(text: str, safe: frozenset[str]) -> str:
    """Normalise percent-encoding: decode unreserved escapes, upper-case the others, encode the rest."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%" and _ESCAPE.match(text, index):
            byte = chr(int(text[index + 1 : index + 3], 16))
            out.append(byte if byte in _UNRESERVED else "%" + text[index + 1 : index + 3].upper())
            index += 3
            continue
        if char in safe:
            out.append(char)
        else:
            out.extend(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))
        index += 1
    return "".join(out)


def _query(query: str) -> str:
    kept: list[tuple[str, str]] = []
    for pair in query.split("&"):
        if not pair:
            continue
        name, sep, value = pair.partition("=")
        if _is_tracking(unquote_plus(name).strip().lower(), unquote_plus(value).strip().lower()):
            continue
        kept.append((_encode(name, _QUERY_SAFE), sep + _encode(value, _QUERY_SAFE)))
    return "&".join(name + value for name, value in sorted(kept))


def _is_tracking(name: str, value: str) -> bool:
    if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
        return True
    if name in REFERRAL_PARAMS:
        tokens = _REFERRAL_TOKEN.findall(value)
        return bool(tokens) and tokens[0] in _REFERRAL_VALUES
    return False
