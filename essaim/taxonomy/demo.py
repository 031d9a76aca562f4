"""Demo: the default theme tree (data/themes.yaml)."""

from essaim.taxonomy.services import load_themes


def load_demo(out):
    counts = load_themes()
    out.write("  thèmes : " + ", ".join(f"{n} {label}" for label, n in counts.items()))
