import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate

from essaim.accounts.demo import DEMO_PASSWORD, load_demo
from essaim.accounts.models import User
from essaim.accounts.roles import Role, has_role

pytestmark = pytest.mark.django_db


def counts():
    return User.objects.count(), EmailAddress.objects.count(), User.groups.through.objects.count()


def test_demo_is_idempotent():
    load_demo(io.StringIO())
    first = counts()
    load_demo(io.StringIO())
    assert counts() == first == (7, 7, 5)


def test_demo_prints_every_account_and_the_password():
    out = io.StringIO()
    load_demo(out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    assert text.count("@demo.essaim.localhost") == 7


def test_each_demo_account_is_verified_and_signs_in_with_its_role():
    load_demo(io.StringIO())
    moderation = authenticate(email="moderation@demo.essaim.localhost", password=DEMO_PASSWORD)
    assert has_role(moderation, Role.MODERATOR) and not has_role(moderation, Role.EDITOR)
    assert EmailAddress.objects.filter(verified=False).count() == 0
    assert User.objects.get(email="superadmin@demo.essaim.localhost").is_superuser
