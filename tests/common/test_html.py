from essaim.common.html import clean_html, strip_html


def test_clean_html_removes_scripts_handlers_and_javascript_urls():
    dirty = (
        '<p onclick="alert(1)">Bonjour <script>alert(2)</script>'
        '<a href="javascript:alert(3)">lien</a> <img src=x onerror="alert(4)">'
        '<span style="position:fixed">x</span></p>'
    )
    clean = clean_html(dirty)
    assert "alert" not in clean
    assert "style" not in clean
    assert clean.startswith("<p>Bonjour ")


def test_clean_html_keeps_safe_links_and_marks_them():
    clean = clean_html('<a href="https://cre-sol.example/">Cré-sol</a>')
    assert clean == (
        '<a href="https://cre-sol.example/" rel="noopener noreferrer nofollow ugc">Cré-sol</a>'
    )


def test_strip_html_gives_text_with_words_apart_and_entities_decoded():
    html = "<h2>Économie</h2><p>solidaire &amp; sociale<script>alert(1)</script></p>"
    assert strip_html(html) == "Économie solidaire & sociale"


def test_clean_html_drops_images_the_csp_would_block_anyway():
    clean = clean_html('<p>Avant<img src="https://tracker.example/pixel.gif" alt="">après</p>')
    assert clean == "<p>Avantaprès</p>"
