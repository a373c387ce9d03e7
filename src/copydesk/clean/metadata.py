"""Outlet names from URLs and site metadata; never from a file name."""

from __future__ import annotations

from urllib.parse import urlsplit


def outlet_from_url(url: str | None) -> str | None:
    """``https://www.example.com/a/b`` -> ``example.com``; None without a host."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host
