"""The deployment files (deploy/, docs/deploy.md) name only things that exist: commands,
environment variables, paths, and the media folders the code writes."""

import configparser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOC = ROOT / "docs" / "deploy.md"
DATA_DIR = "/var/lib/essaim"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
# `essaim backup`, a line starting with `essaim migrate`, /srv/essaim/.venv/bin/essaim serve
COMMAND = re.compile(r"(?:^|`|bin/)essaim ([a-z][a-z_-]+)", re.M)
VARIABLE = re.compile(r"\b((?:ESSAIM_[A-Z0-9_]+[A-Z0-9])|DATABASE_URL|REDIS_URL)\b")


def deploy_texts() -> dict[str, str]:
    files = [p for p in DEPLOY.rglob("*") if p.is_file()] + [DOC]
    return {str(p.relative_to(ROOT)): p.read_text() for p in files}


def documented_variables() -> set[str]:
    return set(re.findall(r"^([A-Z_0-9]+)=", (ROOT / ".env.example").read_text(), re.M))


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


def test_every_variable_named_in_deploy_files_and_docs_is_in_env_example():
    named = {(name, var) for name, text in deploy_texts().items() for var in VARIABLE.findall(text)}
    # ESSAIM_PERIODIC_TASKS is a setting, not a variable: the docs say so.
    unknown = {pair for pair in named if pair[1] not in documented_variables() | {
        "ESSAIM_PERIODIC_TASKS"}}  # fmt: skip
    assert unknown == set()
    assert len({var for _, var in named}) > 15


def test_every_essaim_command_in_deploy_files_and_docs_exists():
    commands = set(get_commands())
    used = {(name, command) for name, text in deploy_texts().items()
            for command in COMMAND.findall(text)}  # fmt: skip
    unknown = {(name, c) for name, c in used if c.replace("-", "_") not in commands
               and c not in commands}  # fmt: skip
    assert unknown == set()
    assert {c for _, c in used} >= {"serve", "worker", "backup", "restore", "migrate"}


@pytest.mark.parametrize("path", UNITS, ids=[p.name for p in UNITS])
def test_service_units_run_the_installed_essaim_as_its_user_with_the_env_file(path):
    service = unit(path)["Service"]
    assert "/srv/essaim/.venv/bin/essaim " in service["ExecStart"]
    assert (service["User"], service["WorkingDirectory"]) == ("essaim", "/srv/essaim")
    assert service["EnvironmentFile"] == "/etc/essaim/essaim.env"
    # ProtectSystem=strict: the data folder must be writable, and it is ESSAIM_DATA_DIR.
    assert DATA_DIR in service["ReadWritePaths"].split()
    assert f"/var/lib/{service['StateDirectory']}" == DATA_DIR


def test_long_running_services_start_serve_and_worker():
    starts = {p.name: unit(p)["Service"]["ExecStart"] for p in UNITS}
    assert starts["essaim-web.service"] == "/srv/essaim/.venv/bin/essaim serve"
    assert starts["essaim-worker@.service"] == "/srv/essaim/.venv/bin/essaim worker"
    assert "essaim backup " in starts["essaim-backup.service"]


def test_backup_timer_starts_the_backup_service():
    timer = unit(DEPLOY / "systemd" / "essaim-backup.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"
    assert (DEPLOY / "systemd" / "essaim-backup.service").exists()  # same name: systemd pairs


def test_operator_wrapper_runs_the_same_binary_with_the_same_environment():
    wrapper = (DEPLOY / "bin" / "essaim").read_text()
    assert "EnvironmentFile=/etc/essaim/essaim.env" in wrapper
    assert "/srv/essaim/.venv/bin/essaim" in wrapper and "--uid=essaim" in wrapper


def served_folders() -> dict[str, dict[str, str]]:
    nginx = (DEPLOY / "nginx" / "essaim.conf").read_text()
    caddy = (DEPLOY / "caddy" / "Caddyfile").read_text()
    return {
        "nginx": dict(re.findall(r"location (/\w+/) \{\s*alias ([^;]+);", nginx)),
        "caddy": {
            f"{prefix}/": root.strip() + "/"
            for prefix, root in re.findall(r"handle_path (/\w+)/\* \{\s*root \* (\S+)", caddy)
        },  # fmt: skip
    }


def test_proxies_serve_the_folders_essaim_writes_static_and_media_to():
    static = settings.STATIC_ROOT.relative_to(settings.DATA_DIR).as_posix()
    media = settings.MEDIA_ROOT.relative_to(settings.DATA_DIR).as_posix()
    expected = {settings.STATIC_URL: f"{DATA_DIR}/{static}/",
                settings.MEDIA_URL: f"{DATA_DIR}/{media}/"}  # fmt: skip
    assert served_folders() == {"nginx": expected, "caddy": expected}


def test_proxies_never_serve_documents_or_import_files_directly():
    nginx = (DEPLOY / "nginx" / "essaim.conf").read_text()
    caddy = (DEPLOY / "caddy" / "Caddyfile").read_text()
    for folder in ("documents", "imports"):
        assert f"location /media/{folder}/ {{ return 404; }}" in nginx
        assert re.search(rf"handle /media/{folder}/\* \{{\s*respond 404", caddy)


def test_proxies_pass_to_the_default_bind_address_with_forwarded_headers():
    bind = re.search(r"^ESSAIM_BIND=(.+)$", (ROOT / ".env.example").read_text(), re.M)[1]
    nginx = (DEPLOY / "nginx" / "essaim.conf").read_text()
    assert f"server {bind};" in nginx
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in nginx
    assert "X-Forwarded-Proto $scheme" in nginx
    assert f"reverse_proxy {bind}" in (DEPLOY / "caddy" / "Caddyfile").read_text()


def upload_folders() -> set[str]:
    """Top folders of every file field whose files may be public (all but documents)."""
    folders = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, models.ImageField) and isinstance(field.upload_to, str):
                folders.add(field.upload_to.split("/")[0])
    return folders


def test_bucket_policy_makes_every_image_folder_public_and_nothing_else():
    policy = json.loads((DEPLOY / "s3-bucket-policy.json").read_text())
    (statement,) = policy["Statement"]
    public = {r.removeprefix("arn:aws:s3:::BUCKET/").removesuffix("/*")
              for r in statement["Resource"]}  # fmt: skip
    assert statement["Action"] == "s3:GetObject" and statement["Principal"] == "*"
    assert upload_folders() | {"images", "original_images"} == public
    # Wagtail documents, import files and consultation attachments go through our views.
    assert not public & {"documents", "imports", "consultations"}


def test_deploy_doc_is_french_first_then_the_same_in_english():
    text = DOC.read_text()
    french, english = text.split("\n# Deploying Essaim\n")
    assert french.startswith("# Déployer Essaim\n")
    sections = [re.findall(r"^## (\d+)\.", half, re.M) for half in (french, english)]
    assert sections[0] == sections[1] == ["1", "2", "3", "4", "5"]
    for pattern in (VARIABLE, COMMAND, re.compile(r"deploy/[\w./@-]+")):
        assert sorted(set(pattern.findall(french))) == sorted(set(pattern.findall(english)))


# --- the real tools accept the files (where they are installed) ---------------------------


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603


@pytest.mark.skipif(not (shutil.which("nginx") and shutil.which("openssl")),
                    reason="nginx is not installed")  # fmt: skip
def test_nginx_accepts_the_configuration(tmp_path):
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=essaim.example.org", "-keyout", str(tmp_path / "key.pem"),
        "-out", str(tmp_path / "cert.pem"))  # fmt: skip
    live = "/etc/letsencrypt/live/essaim.example.org"
    site = (DEPLOY / "nginx" / "essaim.conf").read_text()
    site = site.replace(f"{live}/fullchain.pem", str(tmp_path / "cert.pem"))
    (tmp_path / "essaim.conf").write_text(site.replace(f"{live}/privkey.pem",
                                                       str(tmp_path / "key.pem")))  # fmt: skip
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/essaim.conf;\n}}\n"
    )

    result = run("nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.skipif(not shutil.which("caddy"), reason="Caddy is not installed")
def test_caddy_accepts_the_caddyfile():
    result = run("caddy", "adapt", "--adapter", "caddyfile",
                 "--config", str(DEPLOY / "caddy" / "Caddyfile"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    routes = json.loads(result.stdout)["apps"]["http"]["servers"]["srv0"]["routes"]
    assert routes and "essaim.example.org" in result.stdout


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze")
def test_systemd_finds_nothing_wrong_in_the_units(tmp_path):
    for path in (DEPLOY / "systemd").iterdir():
        shutil.copy(path, tmp_path / path.name.replace("@.", "@1."))

    result = run("systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir()))

    # The one complaint allowed: Essaim is not installed in /srv/essaim on the test machine.
    problems = [line for line in result.stderr.splitlines()
                if "/srv/essaim/.venv/bin/essaim is not executable" not in line]  # fmt: skip
    assert problems == []
