"""Readers: each yields (where, fields) with ``fields`` keyed by canonical column names.

``where`` names the record for error messages: "ligne 12", "objet n° 3 (id abc)".
The CSV reader streams (one row at a time); JSON formats are small enough to load whole.
"""

import codecs
import csv
import json
import shutil
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from essaim.initiatives.imports.columns import READ_ONLY, canonical

DELIMITERS = [";", ",", "\t", "|"]
FETCH_TIMEOUT = 30  # seconds
FETCH_MAX_BYTES = 200 * 1024 * 1024


class InputError(Exception):
    """The input cannot be read at all (encoding, JSON syntax, shape, network)."""


Rows = Iterator[tuple[str, dict]]


# --- fetching --------------------------------------------------------------------------


def fetch(url: str) -> Path:
    """Download ``url`` to a temporary file (timeout, size cap); the caller deletes it."""
    if not url.startswith(("http://", "https://")):
        raise InputError(f"Adresse non prise en charge : {url}")
    target = tempfile.NamedTemporaryFile(prefix="essaim-import-", delete=False)  # noqa: SIM115 (returned to the caller)
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response, target:  # noqa: S310 (scheme checked above)
            _copy_capped(response, target)
    except (OSError, ValueError) as exc:
        Path(target.name).unlink(missing_ok=True)
        raise InputError(f"Téléchargement impossible de {url} : {exc}") from None
    return Path(target.name)


def _copy_capped(response, target) -> None:
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if size > FETCH_MAX_BYTES:
            raise ValueError(f"plus de {FETCH_MAX_BYTES // 1024 // 1024} Mo")
        target.write(chunk)


def copy_to_temp(stream) -> Path:
    with tempfile.NamedTemporaryFile(prefix="essaim-import-", delete=False) as target:
        shutil.copyfileobj(stream, target)
    return Path(target.name)


# --- CSV -------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (BOM or not) if the whole file decodes strictly, else Windows-1252/Latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with open(path, "rb") as stream:
        head = stream.read(3)
        stream.seek(0)
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _single_byte(path)
    return "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"


def _single_byte(path: Path) -> str:
    # Windows-1252 leaves five bytes undefined; Latin-1 reads them all.
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                return "latin-1"
    return "cp1252"


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(path: Path, *, delimiter: str = "", encoding: str = "", mapping=None) -> Rows:
    encoding = encoding or detect_encoding(path)
    try:
        with open(path, encoding=encoding, newline="") as stream:
            first = stream.readline()
            stream.seek(0)
            reader = csv.reader(stream, delimiter=delimiter or sniff_delimiter(first))
            fields = _csv_fields(next(reader, []), mapping)
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield f"ligne {reader.line_num}", _csv_record(row, fields)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"Encodage illisible ({encoding}) : {exc}") from None
    except csv.Error as exc:
        raise InputError(f"CSV mal formé : {exc}") from None


def _csv_fields(header: list[str], mapping) -> list[str | None]:
    if not header:
        raise InputError("Le fichier est vide : il faut une ligne d'en-tête.")
    fields = [canonical(h, mapping) for h in header]
    return [None if f in READ_ONLY else f for f in fields]


def _csv_record(row: list[str], fields: list[str | None]) -> dict:
    return {f: value for f, value in zip(fields, row, strict=False) if f}


# --- JSON formats -----------------------------------------------------------------------


def _load_json(path: Path, encoding: str = ""):
    try:
        with open(path, encoding=encoding or "utf-8-sig") as stream:
            return json.load(stream)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, or an over-long number
        raise InputError(f"JSON mal formé : {exc}") from None
    except RecursionError:
        raise InputError("JSON mal formé : imbrication trop profonde.") from None


def read_geojson(path: Path, *, encoding: str = "", mapping=None, **_) -> Rows:
    data = _load_json(path, encoding)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError("GeoJSON : un objet FeatureCollection est attendu.")
    features = data.get("features") or []
    if not isinstance(features, list):
        raise InputError("GeoJSON : « features » doit être une liste d'objets Feature.")
    for index, feature in enumerate(features, start=1):
        yield _feature_label(index, feature), _feature_record(feature, mapping)


def _feature_label(index: int, feature) -> str:
    key = feature.get("id") if isinstance(feature, dict) else None
    props = feature.get("properties") if isinstance(feature, dict) else None
    key = key or (props or {}).get("id") if isinstance(props, dict) else key
    return f"objet n° {index}" + (f" (id {key})" if key not in (None, "") else "")


def _feature_record(feature, mapping) -> dict:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
        return {"_error": "un objet Feature avec des propriétés est attendu"}
    record = _mapped(feature.get("properties") or {}, mapping)
    if feature.get("id") not in (None, "") and not record.get("id"):
        record["id"] = feature["id"]
    geometry = feature.get("geometry")
    if geometry:
        point = isinstance(geometry, dict) and geometry.get("type") == "Point"
        coordinates = geometry.get("coordinates") if point else None
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            return {**record, "_error": "géométrie : un Point [longitude, latitude] est attendu"}
        record["longitude"], record["latitude"] = geometry["coordinates"][:2]
    return record


def _mapped(properties: dict, mapping) -> dict:
    record = {}
    for key, value in properties.items():
        field = canonical(key, mapping)
        if field and field not in READ_ONLY and field not in record:
            record[field] = value
    return record


def read_gogocarto(path: Path, *, encoding: str = "", mapping=None, **_) -> Rows:
    data = _load_json(path, encoding)
    elements = data.get("data") if isinstance(data, dict) else None
    if not isinstance(elements, list):
        raise InputError("GoGoCarto : un objet {licence, ontology, data: [...]} est attendu.")
    names = data.get("mapping")
    for index, element in enumerate(elements, start=1):
        if isinstance(element, list):
            element = _compact_element(element, names)
        if not isinstance(element, dict):
            element = {"_error": "un objet élément est attendu"}
        key = element.get("id")
        label = f"élément n° {index}" + (f" (id {key})" if isinstance(key, str | int) else "")
        yield label, _gogocarto_record(element, mapping)


def _compact_element(item: list, names) -> dict:
    """Compact shape: [id, [values…], lat, lng, …] with ``mapping`` naming the values."""
    named = isinstance(names, list) and all(isinstance(name, str) for name in names)
    if not named or len(item) < 4 or not isinstance(item[1], list):
        return {"_error": "format compact : « mapping » et [id, [valeurs], lat, lng] attendus"}
    element = dict(zip(names, item[1], strict=False))
    return {**element, "id": item[0], "geo": {"latitude": item[2], "longitude": item[3]}}


def _gogocarto_record(element: dict, mapping) -> dict:
    if "_error" in element:
        return element
    address, geo = element.get("address"), element.get("geo")
    address = address if isinstance(address, dict) else {}
    geo = geo if isinstance(geo, dict) else {}
    record = _mapped(
        {k: v for k, v in element.items() if k not in {"address", "geo", "categories"}}, mapping
    )
    record.update({
        "id": element.get("id"), "nom": element.get("name"),
        "adresse": address.get("streetAddress"), "commune": address.get("addressLocality"),
        "code_postal": address.get("postalCode"), "latitude": geo.get("latitude"),
        "longitude": geo.get("longitude"), "themes": _categories(element.get("categories")),
    })  # fmt: skip
    if element.get("descriptionMore") and not record.get("description"):
        record["description"] = element["descriptionMore"]
    return record


def _categories(categories) -> str:
    if isinstance(categories, str):  # "a;b", as a CSV cell
        return categories
    names = []
    for category in categories if isinstance(categories, list) else []:
        names.append(category.get("name", "") if isinstance(category, dict) else str(category))
    return ";".join(filter(None, names))


READERS = {"csv": read_csv, "geojson": read_geojson, "gogocarto": read_gogocarto}


def guess_format(path: Path, name: str) -> str:
    """csv, geojson or gogocarto from the name's extension, or a JSON file's first bytes."""
    lowered = name.lower().split("?")[0]
    if lowered.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    if lowered.endswith(".geojson"):
        return "geojson"
    with open(path, "rb") as stream:
        head = stream.read(4096).decode("utf-8", "ignore")
    if head.lstrip("\ufeff \r\n\t").startswith(("{", "[")):
        return "geojson" if '"FeatureCollection"' in head else "gogocarto"
    return "csv"
