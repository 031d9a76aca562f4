from essaim.experiences.plain_text import html_to_text, same_text, text_to_html


def test_paragraphs_and_lists_survive_a_round_trip():
    html = "<p>Un premier paragraphe.</p><ul><li>un</li><li>deux</li></ul><p>Fin.</p>"

    text = html_to_text(html)

    assert text == "Un premier paragraphe.\n\n- un\n- deux\n\nFin."
    assert text_to_html(text) == html


def test_text_is_escaped_and_web_addresses_become_links():
    html = text_to_html("<script>x</script> voir https://exemple.org/page.")

    assert "<script>" not in html
    assert '<a href="https://exemple.org/page">https://exemple.org/page</a>.' in html


def test_same_text_ignores_line_endings_and_trailing_spaces():
    assert same_text("a \r\nb\r\n", "a\nb")
    assert not same_text("a", "b")
