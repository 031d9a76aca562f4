#!/usr/bin/env python3
"""Build Essaim's bundled reference data of French territories.

Run by hand by developers when the reference data must be refreshed; never at run time.

Usage:
    python build_territories.py PACKAGE_DIR SHARED_DIR OUTPUT_DIR

    PACKAGE_DIR  unpacked npm package @etalab/decoupage-administratif (the folder that
                 contains package.json and data/)
    SHARED_DIR   folder holding communes-coordonnees.csv and the *.geojson contours
    OUTPUT_DIR   output folder (the repository's data/ folder); territories/ and geo/
                 are written inside it

Requires Python 3.11 and shapely (for the union of merged communes' contours, and of
each EPCI's communes in build_epci_contours.py, which runs last).
"""

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

from build_epci_contours import build as build_epci_contours  # sibling script
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

# Overseas collectivities (COM: 975, 977, 978, 984, 986-989) are listed by the package as
# pseudo-régions/départements; they are not régions, so they are left out of every file.
KEPT_ZONES = {"metro", "drom"}
# The région whose commune contours are bundled (Centre-Val de Loire).
CONTOUR_REGION = "24"
PRECISION = 5


# ---------------------------------------------------------------------------
# Reading the sources
# ---------------------------------------------------------------------------


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_package(package_dir):
    """Return (version, regions, departements, epci, communes) from the npm package."""
    package_dir = Path(package_dir)
    version = load_json(package_dir / "package.json")["version"]
    data = package_dir / "data"
    return (
        version,
        load_json(data / "regions.json"),
        load_json(data / "departements.json"),
        load_json(data / "epci.json"),
        load_json(data / "communes.json"),
    )


def load_points(csv_path):
    """Map INSEE code -> (name, latitude, longitude) from communes-coordonnees.csv."""
    points = {}
    with open(csv_path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["latitude"] and row["longitude"]:
                points[row["code_insee"]] = (
                    row["nom"],
                    float(row["latitude"]),
                    float(row["longitude"]),
                )
    return points


def former_codes(all_communes):
    """Map current commune code -> its former codes (anciensCodes and délégué/associé codes)."""
    result = defaultdict(set)
    for c in all_communes:
        if c["type"] == "commune-actuelle":
            result[c["code"]].update(c.get("anciensCodes", []))
        elif c.get("chefLieu"):
            result[c["chefLieu"]].add(c["code"])
    return result


def find_point(commune, points, former):
    """Point of a commune: on its own code, else on a former code carrying the same name.

    The second case covers communes nouvelles whose chef-lieu (hence code) changed after the
    points file was made: the points file still lists them, same name, under the old code.
    Returns (latitude, longitude) or None.
    """
    if commune["code"] in points:
        return points[commune["code"]][1:]
    for code in sorted(former.get(commune["code"], ())):
        if code in points and points[code][0] == commune["nom"]:
            return points[code][1:]
    return None


# ---------------------------------------------------------------------------
# Territories
# ---------------------------------------------------------------------------


def current_communes(communes):
    """Current communes only (no communes déléguées/associées, no arrondissements municipaux)."""
    return [c for c in communes if c["type"] == "commune-actuelle" and c["zone"] in KEPT_ZONES]


def epci_by_commune(epcis):
    """Map commune code -> code of the EPCI whose members include it."""
    result = {}
    for epci in epcis:
        for member in epci["membres"]:
            result[member["code"]] = epci["code"]
    return result


def sum_population(communes, key):
    """Sum commune populations grouped by the value of `key` (a commune -> code function)."""
    totals = defaultdict(int)
    for c in communes:
        totals[key(c)] += c.get("population", 0)
    return totals


def round_coord(value):
    return round(value, PRECISION)


def commune_rows(communes, epci_of, points, former):
    rows = []
    for c in communes:
        lat, lon = find_point(c, points, former) or (None, None)
        rows.append(
            {
                "code": c["code"],
                "name": c["nom"],
                "departement": c["departement"],
                "region": c["region"],
                "epci": epci_of.get(c["code"], ""),
                "postal_codes": " ".join(sorted(set(c.get("codesPostaux", [])))),
                "population": c.get("population", ""),
                "latitude": "" if lat is None else round_coord(lat),
                "longitude": "" if lon is None else round_coord(lon),
            }
        )
    return rows


def write_csv(path, fieldnames, rows):
    """Write rows sorted by code, UTF-8, comma-delimited, with a header row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["code"]))
    print(f"{path}: {len(rows)} rows")


# ---------------------------------------------------------------------------
# Contours
# ---------------------------------------------------------------------------


def round_coords(coords):
    """Round nested GeoJSON coordinate arrays to PRECISION decimals."""
    if isinstance(coords[0], (int, float)):
        return [round_coord(coords[0]), round_coord(coords[1])]
    return [round_coords(c) for c in coords]


def clean_geometry(geometry):
    """Rounded, RFC 7946 geometry dict (plain lists, lon/lat order is kept from the source)."""
    return {"type": geometry["type"], "coordinates": round_coords(geometry["coordinates"])}


def write_geojson(path, features):
    path.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{path}: {len(features)} features")


def copy_contours(source, target):
    """Copy a contour file keeping only properties code and nom, with rounded coordinates."""
    features = [
        {
            "type": "Feature",
            "properties": {"code": f["properties"]["code"], "nom": f["properties"]["nom"]},
            "geometry": clean_geometry(f["geometry"]),
        }
        for f in load_json(source)["features"]
    ]
    write_geojson(target, sorted(features, key=lambda f: f["properties"]["code"]))


def old_code_index(all_communes, current_codes):
    """Map any known INSEE code (current, former, délégué, associé) -> current commune code."""
    index = {}
    for c in all_communes:
        if c["type"] == "commune-actuelle":
            for old in c.get("anciensCodes", []):
                index.setdefault(old, c["code"])
        elif c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            index.setdefault(c["code"], c["chefLieu"])
    for code in current_codes:  # a current code always maps to itself
        index[code] = code
    return index


def commune_contours(source, all_communes, communes):
    """Join 2018 commune contours to current communes, merging the polygons of merged ones.

    Returns (features, unmatched_2018_codes).
    """
    current = {c["code"]: c for c in communes}
    index = old_code_index(all_communes, current)
    parts = defaultdict(list)
    unmatched = []
    for f in load_json(source)["features"]:
        target = index.get(f["properties"]["code"])
        if target in current:
            parts[target].append(shape(f["geometry"]))
        else:
            unmatched.append(f["properties"]["code"])
    features = []
    for code, shapes in sorted(parts.items()):
        geometry = shapes[0] if len(shapes) == 1 else unary_union(shapes)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "nom": current[code]["nom"]},
                "geometry": clean_geometry(mapping(geometry)),
            }
        )
    return features, unmatched


def fill_missing_points(rows, features):
    """Give communes without a point the representative point of their contour.

    `features` are commune contours, or département contours for a commune that is a whole
    département (Paris).
    """
    by_code = {f["properties"]["code"]: f for f in features}
    filled = []
    for row in rows:
        if row["latitude"] == "" and row["code"] in by_code:
            point = shape(by_code[row["code"]]["geometry"]).representative_point()
            row["latitude"], row["longitude"] = round_coord(point.y), round_coord(point.x)
            filled.append(row["code"])
    return filled


def whole_departement_contours(path, communes):
    """Département contours re-keyed by commune code, for communes that are a whole
    département (Paris is both commune 75056 and département 75)."""
    per_dept = defaultdict(list)
    for c in communes:
        per_dept[c["departement"]].append(c["code"])
    features = []
    for f in load_json(path)["features"]:
        codes = per_dept.get(f["properties"]["code"], [])
        if len(codes) == 1:
            features.append({"properties": {"code": codes[0]}, "geometry": f["geometry"]})
    return features


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_dir")
    parser.add_argument("shared_dir")
    parser.add_argument("output_dir")
    args = parser.parse_args()
    shared, out = Path(args.shared_dir), Path(args.output_dir)

    version, regions, departements, epcis, all_communes = load_package(args.package_dir)
    print(f"@etalab/decoupage-administratif {version}")
    communes = current_communes(all_communes)
    regions = [r for r in regions if r["zone"] in KEPT_ZONES]
    departements = [d for d in departements if d["zone"] in KEPT_ZONES]

    # Populations of régions, départements and EPCI are sums of their communes' populations,
    # so that every level uses the same vintage as communes.csv.
    pop_region = sum_population(communes, lambda c: c["region"])
    pop_dept = sum_population(communes, lambda c: c["departement"])
    epci_of = epci_by_commune(epcis)
    pop_epci = sum_population(communes, lambda c: epci_of.get(c["code"], ""))

    terr = out / "territories"
    write_csv(
        terr / "regions.csv",
        ["code", "name", "population"],
        [
            {"code": r["code"], "name": r["nom"], "population": pop_region[r["code"]]}
            for r in regions
        ],
    )
    write_csv(
        terr / "departements.csv",
        ["code", "name", "region", "population"],
        [
            {
                "code": d["code"],
                "name": d["nom"],
                "region": d["region"],
                "population": pop_dept[d["code"]],
            }
            for d in departements
        ],
    )
    write_csv(
        terr / "epci.csv",
        ["code", "name", "kind", "population"],
        [
            {
                "code": e["code"],
                "name": e["nom"],
                "kind": e["type"],
                "population": pop_epci[e["code"]],
            }
            for e in epcis
        ],
    )

    # Contours first: they provide a fallback point for communes missing from the points file.
    geo = out / "geo"
    copy_contours(shared / "departements-contours-simplifies.geojson", geo / "departements.geojson")
    copy_contours(shared / "regions-contours-simplifies.geojson", geo / "regions.geojson")
    region_communes = [c for c in communes if c["region"] == CONTOUR_REGION]
    features, unmatched = commune_contours(
        shared / "communes-centre-val-de-loire-contours.geojson", all_communes, region_communes
    )
    write_geojson(geo / f"communes-{CONTOUR_REGION}.geojson", features)

    points = load_points(shared / "communes-coordonnees.csv")
    rows = commune_rows(communes, epci_of, points, former_codes(all_communes))
    filled = fill_missing_points(rows, features)
    filled += fill_missing_points(
        rows, whole_departement_contours(geo / "departements.geojson", communes)
    )
    write_csv(
        terr / "communes.csv",
        [
            "code",
            "name",
            "departement",
            "region",
            "epci",
            "postal_codes",
            "population",
            "latitude",
            "longitude",
        ],
        rows,
    )

    # Coverage report (copied by hand into data/README.md).
    region_rows = [r for r in rows if r["region"] == CONTOUR_REGION]
    with_contour = {f["properties"]["code"] for f in features}
    print(f"communes with a point: {sum(r['latitude'] != '' for r in rows)} / {len(rows)}")
    print(
        f"région {CONTOUR_REGION} communes with a point: "
        f"{sum(r['latitude'] != '' for r in region_rows)} / {len(region_rows)}"
    )
    print(f"points taken from contours: {filled}")
    print(
        f"région {CONTOUR_REGION} communes with a contour: {len(with_contour)} / {len(region_rows)}"
    )
    print(
        f"région {CONTOUR_REGION} communes without a contour: "
        f"{sorted(r['code'] for r in region_rows if r['code'] not in with_contour)}"
    )
    print(f"2018 contours not matched to a current commune: {unmatched}")
    print(
        f"communes without a point: {[(r['code'], r['name']) for r in rows if r['latitude'] == '']}"
    )
    print(f"communes without EPCI: {[(r['code'], r['name']) for r in rows if r['epci'] == '']}")

    # EPCI contours need communes.csv (the commune → EPCI link) and the commune contours.
    for key, value in build_epci_contours(out).items():
        print(f"EPCI contours, {key}: {value}")


if __name__ == "__main__":
    main()
