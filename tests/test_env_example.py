import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_documents_every_variable_settings_read():
    settings_source = (ROOT / "essaim" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|url)\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "settings.py reads no variable?"
    assert read - documented == set()
