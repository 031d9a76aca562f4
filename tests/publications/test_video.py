import pytest

from essaim.publications.video import player_url


@pytest.mark.parametrize(("url", "player"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
    ("https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
     "https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d"),
])  # fmt: skip
def test_allowed_videos_get_a_player_url_without_any_fetch(url, player):
    assert player_url(url) == player


@pytest.mark.parametrize("url", [
    "https://evil.example/watch?v=dQw4w9WgXcQ", "javascript:alert(1)",
    "https://www.youtube.com/watch?v=<script>", "https://peertube.example/w/abcdefgh",
])  # fmt: skip
def test_other_hosts_and_odd_ids_are_refused(url):
    assert player_url(url) is None


def test_the_csp_allows_framing_only_those_players(client, db):
    policy = client.get("/articles/")["Content-Security-Policy"]
    frame_src = next(part for part in policy.split(";") if "frame-src" in part)
    assert "https://www.youtube-nocookie.com" in frame_src
    assert "https://www.youtube.com" not in frame_src
