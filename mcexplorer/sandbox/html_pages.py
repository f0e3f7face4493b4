"""Non-JSON failure pages: the edge firewall's block page and the CDN's 502 page.

Clients must cope with these (no problem+json), so the sandbox serves them as
text/html exactly where the real edge would.
"""

from __future__ import annotations

from html import escape

HTML_CONTENT_TYPE = "text/html"


def firewall_page(url: str, reference: str) -> bytes:
    page = (
        "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n"
        "<H1>Access Denied</H1>\n \n"
        f'You don\'t have permission to access "{escape(url)}" on this server.<P>\n'
        f"Reference #{reference}\n</BODY>\n</HTML>\n"
    )
    return page.encode()


def cdn_502_page() -> bytes:
    page = (
        "<html><head><title>502 Bad Gateway</title></head>\n<body>\n"
        "<center><h1>502 Bad Gateway</h1></center>\n"
        "<p>The edge server timed out waiting for the application.</p>\n"
        "</body></html>\n"
    )
    return page.encode()
