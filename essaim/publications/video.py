"""External videos without oEmbed: the player URL is built from allow-listed URL patterns.

The server never fetches anything (no internet at run time, no third party told who
reads what); only the hosts below may be framed (``CONTENT_SECURITY_POLICY`` frame-src).
YouTube is framed through its no-cookie domain. PeerTube instances are listed in
``ESSAIM_PEERTUBE_HOSTS``.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be",
                 "www.youtube-nocookie.com"}  # fmt: skip
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_PATH = re.compile(r"/(?:video/)?(\d+)/?")
PEERTUBE_PATH = re.compile(r"/(?:w|videos/watch|videos/embed)/([A-Za-z0-9-]{6,40})/?")


def player_url(url: str) -> str | None:
    """The embeddable player URL for a video page URL, or None if the host is not allowed."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"}:
        return None
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        return _youtube(host, parts)
    if host in VIMEO_HOSTS and (match := VIMEO_PATH.fullmatch(parts.path)):
        return f"https://player.vimeo.com/video/{match[1]}"
    if host in settings.ESSAIM_PEERTUBE_HOSTS and (match := PEERTUBE_PATH.fullmatch(parts.path)):
        return f"https://{host}/videos/embed/{match[1]}"
    return None


def _youtube(host: str, parts) -> str | None:
    if host == "youtu.be":
        video_id = parts.path.strip("/")
    elif parts.path.startswith(("/embed/", "/shorts/")):
        video_id = parts.path.split("/")[2]
    else:
        video_id = parse_qs(parts.query).get("v", [""])[0]
    if not YOUTUBE_ID.fullmatch(video_id):
        return None
    return f"https://www.youtube-nocookie.com/embed/{video_id}"
