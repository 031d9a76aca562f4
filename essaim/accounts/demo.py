"""Demo accounts: one verified account per role, plus a superuser, with a shared password.

Documented in docs/demo-accounts.md. Never load the demo on a public site.
"""

from allauth.account.models import EmailAddress

from essaim.accounts.models import User
from essaim.accounts.roles import Role
from essaim.accounts.services import grant_role

DEMO_PASSWORD = "essaim-demo"  # noqa: S105 (published on purpose: demo accounts only)
DEMO_DOMAIN = "demo.essaim.localhost"

# (e-mail local part, display name, role or None for the superuser)
DEMO_ACCOUNTS = [
    ("contribution", "Camille Contributrice", Role.CONTRIBUTOR),
    ("membre", "La Ruche Solidaire (membre)", Role.MEMBER),
    ("animation", "Sacha Animateur", Role.FACILITATOR),
    ("moderation", "Mona Modératrice", Role.MODERATOR),
    ("edition", "Eddie Éditeur", Role.EDITOR),
    ("administration", "Ada Administratrice", Role.ADMINISTRATOR),
    ("superadmin", "Super Admin", None),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def ensure_demo_account(local_part: str, display_name: str, role: Role | None) -> User:
    email = demo_email(local_part)
    user = User.objects.filter(email=email).first()
    if user is None:
        manager = User.objects.create_superuser if role is None else User.objects.create_user
        user = manager(email=email, password=DEMO_PASSWORD, display_name=display_name)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role and role != Role.CONTRIBUTOR:
        grant_role(user=user, role=role)
    return user


def load_demo(out) -> None:
    out.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for local_part, display_name, role in DEMO_ACCOUNTS:
        ensure_demo_account(local_part, display_name, role)
        label = role.label if role else "superutilisateur·rice"
        out.write(f"  {demo_email(local_part):<40} {label}")
