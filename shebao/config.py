"""Typed reading of environment variables, in one place (the paperless-ngx way).

Every setting of shebao comes from an environment variable through these helpers,
so a wrong value fails loudly at start-up instead of silently meaning something else.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(ValueError):
    """A setting in the environment has a value that cannot be used."""


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def get_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def get_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from exc


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser() if raw else default


def database_from_env(name: str, default_path: Path) -> dict:
    """`SHEBAO_DB` is either a file path (SQLite) or a database URL (postgres://…, sqlite:///…)."""
    raw = os.environ.get(name, "").strip()
    if "://" in raw:
        import dj_database_url

        try:
            config = dj_database_url.parse(raw, conn_max_age=60)
        except ValueError as exc:
            raise ConfigError(f"{name}={raw!r} is not a database URL shebao can use: {exc}") from exc
        if "sqlite" in config["ENGINE"]:
            config = _sqlite(Path(config["NAME"]))
        return config
    return _sqlite(Path(raw).expanduser() if raw else default_path)


def _sqlite(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL lets the web UI read while an import writes; busy_timeout waits
        # for a writer instead of failing with "database is locked".
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


def secret_key(var_dir: Path) -> str:
    """The secret key from `SHEBAO_SECRET_KEY`, else from a generated file readable by its owner only."""
    from_env = os.environ.get("SHEBAO_SECRET_KEY", "").strip()
    if from_env:
        return from_env
    key_file = var_dir / "secret_key"
    if key_file.exists():
        if key_file.stat().st_mode & 0o077:  # readable by others: tighten to the owner only
            os.chmod(key_file, 0o600)
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _generated_secret(env_name: str, var_dir: Path, file_name: str) -> str:
    from_env = os.environ.get(env_name, "").strip()
    if from_env:
        return from_env
    secret_file = var_dir / file_name
    if secret_file.exists():
        return secret_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    try:
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first: use theirs
        return secret_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def cert_secret(var_dir: Path) -> str:
    """The certificate verification secret (核验码密钥): `SHEBAO_CERT_SECRET`, else var/cert_secret (0600)."""
    return _generated_secret("SHEBAO_CERT_SECRET", var_dir, "cert_secret")


def renewal_thresholds() -> dict[str, int]:
    """Thresholds of the renewal queue (续保提醒), each `SHEBAO_RENEWAL_<NAME>`.

    - STOPPED_MONTHS: contributions stopped at least this many months ago (and below the minimum);
    - FLEXIBLE_DAYS: a flexible worker's paid-up period ends within this many days;
    - RETIRING_MONTHS: retirement age is reached within this many months, short of the minimum.
    """
    values = {
        "stopped_months": get_int("SHEBAO_RENEWAL_STOPPED_MONTHS", 3),
        "flexible_days": get_int("SHEBAO_RENEWAL_FLEXIBLE_DAYS", 30),
        "retiring_months": get_int("SHEBAO_RENEWAL_RETIRING_MONTHS", 24),
    }
    for name, value in values.items():
        if value < 0:
            raise ConfigError(f"SHEBAO_RENEWAL_{name.upper()}={value} must not be negative")
    return values
