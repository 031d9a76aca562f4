"""Grids as documents (YAML or JSON): read, check, import as a new version, export.

A document is checked whole before anything is written; the first problem is reported with
its path in the document ("axes[2].criteria[1].levels: 5 niveaux attendus") and the import
writes nothing (``GridError``). Importing a grid whose slug exists adds a new version.
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from essaim.evaluation.models import LEVEL_FIELDS, Axis, Criterion, Grid, GridVersion, Question

DEFAULT_GRID = Path(__file__).resolve().parent.parent.parent / "data/evaluation/grille-essaim.yaml"
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
MAX_BYTES = 2 * 1024 * 1024
LIMITS = {"name": 200, "title": 300, "text": 5000, "question": 500, "source": 300, "licence": 40}


class GridError(ValueError):
    """A document that is not a valid grid; the message names the path of the problem."""


@dataclass
class CriterionData:
    code: str
    name: str
    levels: list[str]
    description: str = ""
    core: bool = False
    weight: Decimal = Decimal(1)
    not_applicable: bool = True
    questions: list[str] = field(default_factory=list)


@dataclass
class AxisData:
    code: str
    name: str
    criteria: list[CriterionData]
    description: str = ""
    weight: Decimal = Decimal(1)


@dataclass
class GridData:
    slug: str
    name: str
    axes: list[AxisData]
    description: str = ""
    source: str = ""
    licence: str = "CC-BY-SA-4.0"
    notes: str = ""


# --- reading -----------------------------------------------------------------------------


def parse(data: bytes | str) -> GridData:
    """The grid a YAML or JSON document describes (JSON is YAML); GridError if invalid."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise GridError("document : trop volumineux (2 Mio au plus)")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GridError(f"document : pas en UTF-8 (octet {exc.start})") from None
    if "\x00" in data:
        raise GridError("document : caractère nul interdit")
    try:
        document = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark else ""
        raise GridError(f"document : YAML ou JSON illisible{where}") from None
    except RecursionError:
        raise GridError("document : imbrication trop profonde") from None
    return check(document)


def check(document) -> GridData:
    root = _mapping(document, "document")
    axes = _list(root, "axes", "")
    return GridData(
        slug=_slug(root, "slug", ""),
        name=_text(root, "name", "", LIMITS["name"], required=True),
        description=_text(root, "description", "", LIMITS["text"]),
        source=_text(root, "source", "", LIMITS["source"]),
        licence=_text(root, "licence", "", LIMITS["licence"]) or "CC-BY-SA-4.0",
        notes=_text(root, "notes", "", LIMITS["text"]),
        axes=_unique([_axis(item, f"axes[{n}]") for n, item in enumerate(axes)], "axes"),
    )


def _axis(item, path: str) -> AxisData:
    item = _mapping(item, path)
    criteria = _list(item, "criteria", path)
    return AxisData(
        code=_slug(item, "code", path),
        name=_text(item, "name", path, LIMITS["name"], required=True),
        description=_text(item, "description", path, LIMITS["text"]),
        weight=_weight(item, path),
        criteria=_unique([_criterion(c, f"{path}.criteria[{n}]") for n, c in enumerate(criteria)],
                         f"{path}.criteria"),
    )  # fmt: skip


def _criterion(item, path: str) -> CriterionData:
    item = _mapping(item, path)
    levels = item.get("levels")
    if not isinstance(levels, list) or len(levels) != len(LEVEL_FIELDS):
        raise GridError(f"{path}.levels: {len(LEVEL_FIELDS)} niveaux attendus (0 à 4)")
    questions = item.get("questions") or []
    if not isinstance(questions, list):
        raise GridError(f"{path}.questions: une liste attendue")
    return CriterionData(
        code=_slug(item, "code", path),
        name=_text(item, "name", path, LIMITS["title"], required=True),
        description=_text(item, "description", path, LIMITS["text"]),
        levels=[_string(text, f"{path}.levels[{n}]", LIMITS["text"], required=True)
                for n, text in enumerate(levels)],
        core=_bool(item, "core", path, False),
        not_applicable=_bool(item, "not_applicable", path, True),
        weight=_weight(item, path),
        questions=[_string(q, f"{path}.questions[{n}]", LIMITS["question"], required=True)
                   for n, q in enumerate(questions)],
    )  # fmt: skip


def _mapping(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise GridError(f"{path}: un objet (clé: valeur) attendu")
    return value


def _list(item: dict, key: str, path: str) -> list:
    value = item.get(key)
    where = f"{path}.{key}" if path else key
    if not isinstance(value, list) or not value:
        raise GridError(f"{where}: une liste non vide attendue")
    return value


def _string(value, path: str, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise GridError(f"{path}: un texte attendu")
    text = str(value).strip()
    if "\x00" in text:
        raise GridError(f"{path}: caractère nul interdit")
    if required and not text:
        raise GridError(f"{path}: obligatoire")
    if len(text) > limit:
        raise GridError(f"{path}: {limit} caractères au plus")
    return text


def _text(item: dict, key: str, path: str, limit: int, *, required: bool = False) -> str:
    return _string(item.get(key), f"{path}.{key}" if path else key, limit, required=required)


def _slug(item: dict, key: str, path: str) -> str:
    value = item.get(key)
    where = f"{path}.{key}" if path else key
    if not isinstance(value, str) or not SLUG.match(value):
        raise GridError(f"{where}: un identifiant (lettres, chiffres, tirets) attendu")
    return value


def _bool(item: dict, key: str, path: str, default: bool) -> bool:
    value = item.get(key, default)
    if not isinstance(value, bool):
        raise GridError(f"{path}.{key}: true ou false attendu")
    return value


def _weight(item: dict, path: str) -> Decimal:
    value = item.get("weight", 1)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise GridError(f"{path}.weight: un nombre attendu")
    try:
        weight = Decimal(str(value))
    except InvalidOperation:
        raise GridError(f"{path}.weight: un nombre attendu") from None
    if not weight.is_finite() or not Decimal(0) < weight <= Decimal(100):
        raise GridError(f"{path}.weight: un nombre entre 0 (exclu) et 100 attendu")
    return weight.quantize(Decimal("0.01"))


def _unique(items: list, path: str) -> list:
    seen = set()
    for n, item in enumerate(items):
        if item.code in seen:
            raise GridError(f"{path}[{n}].code: « {item.code} » déjà utilisé")
        seen.add(item.code)
    return items


# --- writing -----------------------------------------------------------------------------


@transaction.atomic
def import_grid(data: GridData, models=None) -> GridVersion:
    """Create the grid (or find it by slug) and add ``data`` as its next version.

    ``models`` (Grid, GridVersion, Axis, Criterion, Question) lets the data migration
    pass its historical models."""
    grid_model, version_model, axis_model, criterion_model, question_model = models or (
        Grid, GridVersion, Axis, Criterion, Question)  # fmt: skip
    grid, created = grid_model.objects.get_or_create(
        slug=data.slug,
        defaults={"name": data.name, "description": data.description, "source": data.source,
                  "licence": data.licence},
    )  # fmt: skip
    if not created:
        grid.name, grid.description = data.name, data.description
        grid.source, grid.licence = data.source, data.licence
        grid.save()
    last = grid.versions.order_by("-number").first()
    version = version_model.objects.create(grid=grid, number=(last.number + 1 if last else 1),
                                           notes=data.notes)  # fmt: skip
    for a_pos, axis_data in enumerate(data.axes):
        axis = axis_model.objects.create(version=version, position=a_pos, code=axis_data.code,
                                         name=axis_data.name, weight=axis_data.weight,
                                         description=axis_data.description)  # fmt: skip
        for c_pos, item in enumerate(axis_data.criteria):
            criterion = criterion_model.objects.create(
                axis=axis, position=c_pos, code=item.code, name=item.name,
                description=item.description, core=item.core, weight=item.weight,
                allows_not_applicable=item.not_applicable,
                **dict(zip(LEVEL_FIELDS, item.levels, strict=True)),
            )  # fmt: skip
            question_model.objects.bulk_create(
                [
                    question_model(criterion=criterion, position=n, text=text)
                    for n, text in enumerate(item.questions)
                ]  # fmt: skip
            )
    return version


def load_default_grid() -> GridVersion | None:
    """The bundled grid, imported once (None when it is already there)."""
    data = parse(DEFAULT_GRID.read_bytes())
    if Grid.objects.filter(slug=data.slug).exists():
        return None
    return import_grid(data)


def as_document(version: GridVersion) -> dict:
    grid = version.grid
    axes = version.axes.order_by("position", "pk").prefetch_related("criteria__questions")
    return {
        "slug": grid.slug, "name": grid.name, "description": grid.description,
        "source": grid.source, "licence": grid.licence, "version": version.number,
        "notes": version.notes,
        "axes": [{"code": axis.code, "name": axis.name, "description": axis.description,
                  "weight": float(axis.weight),
                  "criteria": [_criterion_document(c) for c in axis.criteria.all()]}
                 for axis in axes],
    }  # fmt: skip


def _criterion_document(criterion: Criterion) -> dict:
    return {
        "code": criterion.code, "name": criterion.name, "description": criterion.description,
        "core": criterion.core, "weight": float(criterion.weight),
        "not_applicable": criterion.allows_not_applicable, "levels": criterion.levels,
        "questions": [q.text for q in criterion.questions.all()],
    }  # fmt: skip


def export_grid(version: GridVersion, fmt: str) -> str:
    document = as_document(version)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
