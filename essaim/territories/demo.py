"""Demo: the territory tree is the reference data every other demo builds on."""

from essaim.territories.loading import index_territories, load_territories


def load_demo(out):
    counts = load_territories()
    out.write("  territoires : " + ", ".join(f"{n} {label}" for label, n in counts.items()))
    out.write(f"  recherche : {index_territories()} territoires indexés")
