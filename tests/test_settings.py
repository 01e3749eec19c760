"""The one settings object: read once, documented in the README's table, bad values named."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic.fields import FieldInfo

from graph.config import EmbeddedConfig, RemoteConfig, parse_store_spec
from ingest.settings import SettingError, Settings, env_name, get_settings
from tests.servers import _stop, _wait_http, free_port

ROOT = Path(__file__).resolve().parents[1]
# The folders whose code may read a setting (tests/ and bench/ set them, never read them).
CODE = ("app", "graph", "ingest", "ontology", "tools", "scripts")
ROW = re.compile(r"^\| `(EVKG_[A-Z_]+)` \| (.+?) \| (.+) \|$")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No EVKG_* variable of the caller's, and a fresh read before and after each test."""
    for name in list(os.environ):
        if name.startswith("EVKG_"):
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def shown_default(field: FieldInfo) -> str:
    """A field's default as the README's table writes it."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and "shown_default" in extra:
        return str(extra["shown_default"])
    value = field.default
    if value is None or value == ():
        return "unset"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    return f"`{value}`"


def readme_table() -> dict[str, tuple[str, str]]:
    """The README's settings table: variable -> (default, meaning)."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            assert match[1] not in rows, f"{match[1]} is in the table twice"
            rows[match[1]] = (match[2], match[3])
    return rows


def test_the_readme_table_is_the_settings_object() -> None:
    expected = {
        env_name(name): (shown_default(field), field.description)
        for name, field in Settings.model_fields.items()
    }
    assert all(meaning for _, meaning in expected.values()), "every field needs a description"
    assert readme_table() == expected


def test_every_variable_the_code_reads_is_a_setting() -> None:
    """A new `EVKG_*` variable in the code is a field of Settings (so in the table), not a
    read of its own."""
    used: set[str] = set()
    for folder in CODE:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".sh", ".js", ".html") and ".venv" not in path.parts:
                used |= set(re.findall(r"\bEVKG_[A-Z]+(?:_[A-Z]+)*\b", path.read_text()))
    assert used  # the scan found the code
    assert used <= set(readme_table()), sorted(used - set(readme_table()))


def test_read_once_until_the_cache_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVKG_MAX_ROWS", "7")
    first = get_settings()
    assert first.max_rows == 7
    monkeypatch.setenv("EVKG_MAX_ROWS", "8")
    assert get_settings() is first  # not read again
    get_settings.cache_clear()
    assert get_settings().max_rows == 8


def test_defaults_and_how_values_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = len(os.sched_getaffinity(0))
    settings = get_settings()
    assert settings.query_workers == min(16, max(2, 2 * cpus))
    assert (settings.token, settings.cors_origins, settings.allow_load) == (None, (), False)
    assert settings.coder == "parse"
    assert settings.cache_dir == Path.home() / ".cache" / "evkg"
    for name, value in {
        "EVKG_QUERY_WORKERS": "3",
        "EVKG_TOKEN": "",  # empty: unset
        "EVKG_CORS_ORIGINS": "https://a.example, https://b.example,",
        "EVKG_ALLOW_LOAD": "yes",
        "EVKG_CODER": " Rules ",
        "EVKG_QUERY_TIMEOUT": "2.5",
        "EVKG_CACHE_DIR": "/tmp/evkg-cache",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.query_workers == 3
    assert settings.token is None
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.allow_load is True
    assert settings.coder == "rules"
    assert settings.query_timeout == 2.5
    assert settings.cache_dir == Path("/tmp/evkg-cache")


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("EVKG_QUERY_TIMEOUT", "soon", "valid number"),
        ("EVKG_QUERY_TIMEOUT", "0", "greater than 0"),
        ("EVKG_QUERY_WORKERS", "0", "greater than or equal to 1"),
        ("EVKG_PORT", "99999", "less than or equal to 65535"),
        ("EVKG_ALLOW_SERVICE", "maybe", "1, true, yes, on or 0, false, no, off"),
        ("EVKG_CODER", "neural", "'parse' or 'rules'"),
    ],
)
def test_a_bad_value_is_named_with_what_it_accepts(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError) as caught:
        get_settings()
    message = str(caught.value)
    assert message.startswith(f"{name}=")
    assert value.strip().lower() in message and says in message
    assert "\n" not in message


def test_the_store_spec_and_its_credentials_come_from_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert parse_store_spec(None, Settings(store="oxigraph:")) == EmbeddedConfig(None)
    config = parse_store_spec(
        "sparql:http://127.0.0.1:1/query", Settings(store_user="u", store_password="p")
    )
    assert isinstance(config, RemoteConfig)
    assert (config.user, config.password) == ("u", "p")
    shown = repr(Settings(store_password="secret-value", token="secret-token"))
    assert "secret" not in shown and "store_user" in shown
    monkeypatch.setenv("EVKG_STORE_USER", "from-env")
    get_settings.cache_clear()
    remote = parse_store_spec("sparql:http://127.0.0.1:1/query")
    assert isinstance(remote, RemoteConfig) and remote.user == "from-env"


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EVKG_")}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("command", "env"),
    [
        (("serve",), {"EVKG_QUERY_TIMEOUT": "soon"}),
        (("cluster", "--check"), {"EVKG_PORT": "http"}),
    ],
)
def test_the_cli_answers_a_bad_value_in_one_line(
    command: tuple[str, ...], env: dict[str, str]
) -> None:
    done = _cli(*command, **env)
    assert done.returncode == 2
    [(name, value)] = env.items()
    assert done.stderr.strip() == (
        f"evkg {command[0]}: {name}={value!r}: "
        + (
            "input should be a valid number, unable to parse string as a number"
            if name == "EVKG_QUERY_TIMEOUT"
            else "input should be a valid integer, unable to parse string as an integer"
        )
    )
    assert "Traceback" not in done.stderr


def test_serve_listens_where_the_settings_say(tmp_path: Path) -> None:
    """`evkg serve` with no options takes its address, port and store from the settings."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EVKG_")}
    env = {
        **clean,
        "EVKG_HOST": "127.0.0.1",
        "EVKG_PORT": str(port),
        "EVKG_STORE": f"oxigraph:{tmp_path / 'store'}",
        "EVKG_QUERY_WORKERS": "1",
        "EVKG_REST_WORKERS": "1",
    }
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_http(f"http://127.0.0.1:{port}/health", proc, log)
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=30)
        assert health.status_code == 200
        assert health.json()["writable"] is False  # no EVKG_TOKEN
        assert (tmp_path / "store").is_dir()  # the store of EVKG_STORE, not the default
    finally:
        _stop(proc)
