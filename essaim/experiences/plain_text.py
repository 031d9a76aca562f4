"""Rich text ↔ plain text, for co-editors who write without a rich-text editor.

The front-end form shows each section as plain text: paragraphs separated by a blank
line, list items starting with "- ". Saved text becomes simple HTML again (paragraphs,
line breaks, bulleted lists, web addresses as links). A section the co-editor did not
touch keeps its original HTML (see ``forms.CoEditForm.changes``), so formatting done in
the back office is lost only where someone rewrote the text.
"""

import re
from html import escape
from html.parser import HTMLParser

URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")
BULLET = re.compile(r"^\s*[-*•]\s+")
BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "pre", "table"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.href = ""

    def flush(self):
        text = "".join(self.current).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
        elif tag == "li":
            self.current.append("\n- " if self.current else "- ")
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()
        elif tag == "a":
            self.href = ""

    def handle_data(self, data):
        text = re.sub(r"[ \t\r\n]+", " ", data)
        if self.href.startswith(("http://", "https://")) and text.strip() != self.href:
            text = f"{text} ({self.href})"
        self.current.append(text)


def html_to_text(html: str) -> str:
    collector = _Collector()
    collector.feed(html or "")
    collector.close()
    collector.flush()
    return "\n\n".join(block.replace("\n ", "\n") for block in collector.blocks)


def text_to_html(text: str) -> str:
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return "".join(_block(block) for block in blocks if block.strip())


def _block(block: str) -> str:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if all(BULLET.match(line) for line in lines):
        items = "".join(f"<li>{_inline(BULLET.sub('', line))}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    return "<p>" + "<br/>".join(_inline(line) for line in lines) + "</p>"


def _inline(text: str) -> str:
    parts, last = [], 0
    for match in URL.finditer(text):
        url = match.group()
        link = f'<a href="{escape(url)}">{escape(url, quote=False)}</a>'
        parts += [escape(text[last : match.start()], quote=False), link]
        last = match.end()
    return "".join(parts) + escape(text[last:], quote=False)


def same_text(a: str, b: str) -> bool:
    """Equal once line endings and surrounding spaces are set aside."""

    def norm(value: str) -> str:
        return "\n".join(
            line.rstrip() for line in (value or "").replace("\r\n", "\n").strip().split("\n")
        )

    return norm(a) == norm(b)
