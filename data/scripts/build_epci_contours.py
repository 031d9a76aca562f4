#!/usr/bin/env python3
"""Build the EPCI contours of the région whose commune contours Essaim bundles.

Run by hand by developers (``build_territories.py`` calls it last); never at run time.

Usage:
    python build_epci_contours.py DATA_DIR

    DATA_DIR  the repository's data/ folder: reads territories/communes.csv (the commune →
              EPCI link), territories/epci.csv (names) and geo/communes-24.geojson; writes
              geo/epci-24.geojson (properties ``code`` = SIREN, ``name``).

Each EPCI is the union of its member communes' contours, then simplified as one coverage
(shared borders are simplified once, so neighbours keep touching without gaps or overlaps).
Only communes of the région have contours: an EPCI straddling the région's border gets
its in-région part only. Requires Python 3.11 and shapely ≥ 2.1 (GEOS ≥ 3.12).
"""

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

REGION = "24"
# Degrees (~100 m in latitude): a choropleth needs the shape of an EPCI, not its hedges.
TOLERANCE = 0.001
PRECISION = 5


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], PRECISION), round(coords[1], PRECISION)]
    return [rounded(c) for c in coords]


def epci_shapes(communes, contours):
    """{EPCI code: union of its communes' contours}, and the région communes without EPCI."""
    epci_of = {c["code"]: c["epci"] for c in communes}
    parts = defaultdict(list)
    without = []
    for feature in contours:
        code = feature["properties"]["code"]
        if epci_of.get(code):
            parts[epci_of[code]].append(shape(feature["geometry"]))
        else:
            without.append(code)
    # A zero-width buffer closes the hair-line gaps between simplified 2018 communes.
    return {code: unary_union(shapes).buffer(0) for code, shapes in parts.items()}, without


def simplified(shapes: dict) -> dict:
    codes = sorted(shapes)
    geometries = shapely.coverage_simplify([shapes[c] for c in codes], TOLERANCE)
    return {code: shapely.make_valid(g) for code, g in zip(codes, geometries, strict=True)}


def build(data_dir: Path) -> dict:
    """Write geo/epci-<REGION>.geojson; return coverage figures (printed for data/README.md)."""
    communes = read_csv(data_dir / "territories" / "communes.csv")
    names = {e["code"]: e["name"] for e in read_csv(data_dir / "territories" / "epci.csv")}
    contours = json.loads((data_dir / "geo" / f"communes-{REGION}.geojson").read_text("utf-8"))
    shapes, without = epci_shapes(communes, contours["features"])
    shapes = simplified(shapes)
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": names[code]},
            "geometry": {"type": g.geom_type, "coordinates": rounded(mapping(g)["coordinates"])},
        }
        for code, g in sorted(shapes.items())
    ]
    target = data_dir / "geo" / f"epci-{REGION}.geojson"
    body = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))  # fmt: skip
    target.write_text(body, encoding="utf-8")
    in_region = {c["epci"] for c in communes if c["region"] == REGION and c["epci"]}
    members = defaultdict(set)
    for c in communes:
        members[c["epci"]].add(c["region"])
    return {
        "file": str(target),
        "bytes": len(body.encode()),
        "features": len(features),
        "epci_in_region": len(in_region),
        "straddling": sorted(code for code in in_region if len(members[code]) > 1),
        "communes_without_epci": without,
        "invalid": [code for code, g in shapes.items() if not g.is_valid],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    report = build(Path(parser.parse_args().data_dir))
    for key, value in report.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
