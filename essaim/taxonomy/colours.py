"""Colour arithmetic for theme badges: WCAG 2.1 relative luminance and contrast."""

DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever reads better on ``background`` (always ≥ 4.5:1)."""
    return max((LIGHT_TEXT, DARK_TEXT), key=lambda text: contrast(text, background))
