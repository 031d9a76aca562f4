"""Evaluation fixtures: a small grid (2 axes × 2 criteria), a project with alice as lead and
bob as member (charlie, the outsider, belongs to no project)."""

import pytest

from essaim.evaluation import grids
from essaim.evaluation.models import Project, ProjectMember, Role


def small_grid_document(slug: str = "petite-grille") -> dict:
    def criterion(code: str, **extra) -> dict:
        return {
            "code": code,
            "name": f"Critère {code}",
            "levels": [f"{code} niveau {n}" for n in range(5)],
            **extra,
        }

    return {
        "slug": slug,
        "name": "Petite grille",
        "axes": [
            {
                "code": "a1",
                "name": "Axe un",
                "criteria": [criterion("c11", core=True), criterion("c12")],
            },
            {
                "code": "a2",
                "name": "Axe deux",
                "criteria": [criterion("c21", core=True), criterion("c22", weight=3)],
            },
        ],
    }


def make_version(slug: str = "petite-grille"):
    return grids.import_grid(grids.check(small_grid_document(slug)))


@pytest.fixture
def version(db):
    return make_version()


def make_project(name: str, lead, *members, **extra) -> Project:
    from django.utils.text import slugify

    project = Project.objects.create(name=name, slug=slugify(name), **extra)
    ProjectMember.objects.create(project=project, user=lead, role=Role.LEAD)
    for user in members:
        ProjectMember.objects.create(project=project, user=user, role=Role.MEMBER)
    return project


@pytest.fixture
def project(owner, member):
    return make_project("Projet Quetzal", owner, member)
