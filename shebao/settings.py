"""Django settings: defaults, then the environment (see shebao.config), then computed values."""

from __future__ import annotations

from pathlib import Path

from shebao import config

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = config.get_path("SHEBAO_VAR", Path.cwd() / "var")

SECRET_KEY = config.secret_key(VAR_DIR)
DEBUG = config.get_bool("SHEBAO_DEBUG", False)
ALLOWED_HOSTS = config.get_list("SHEBAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = config.get_list("SHEBAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shebao.accounts",
    "shebao.audit",
    "shebao.people",
    "shebao.contributions",
    "shebao.web",
    "shebao.api",
    "ninja",  # serves the API docs' scripts from /static/ (no CDN, no inline script: CSP)
    "shebao.counter",
    "huey.contrib.djhuey",  # the renewal queue's daily job (shebao.counter.tasks)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shebao.web.security.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
]

ROOT_URLCONF = "shebao.urls"
WSGI_APPLICATION = "shebao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": config.database_from_env("SHEBAO_DB", VAR_DIR / "shebao.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new passwords are hashed with it, older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:search"
LOGOUT_REDIRECT_URL = "web:login"

SESSION_COOKIE_AGE = config.get_int("SHEBAO_SESSION_SECONDS", 8 * 3600)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = config.get_bool("SHEBAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS only behind TLS (SHEBAO_SECURE_COOKIES=1): a browser remembers it for a year.
SECURE_HSTS_SECONDS = 31536000 if SESSION_COOKIE_SECURE else 0
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: the import page takes spreadsheets and zips of folders.
MAX_UPLOAD_BYTES = config.get_int("SHEBAO_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

# The region policy file (TOML); empty means the built-in sample region.
SHEBAO_POLICY = config.get_str("SHEBAO_POLICY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every handler masks ID numbers (1306**********0766): no log line carries a whole one.
    "filters": {"mask_ids": {"()": "shebao.privacy.MaskIdNumbersFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_ids"]}
    },
    "root": {"handlers": ["console"], "level": config.get_str("SHEBAO_LOG_LEVEL", "WARNING")},
}

# At the counter (shebao.counter): certificates, renewal queue.
# The verification-code secret is separate from SECRET_KEY: rotating one must not void the other.
SHEBAO_CERT_SECRET = config.cert_secret(VAR_DIR)
SHEBAO_ISSUING_OFFICE = config.get_str("SHEBAO_ISSUING_OFFICE", "")  # empty: "<region name>社会保险经办机构"
SHEBAO_RENEWAL = config.renewal_thresholds()
# Background jobs: huey on a SQLite queue; SHEBAO_HUEY_IMMEDIATE=1 runs tasks in-process (tests, no consumer).
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "shebao",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": config.get_bool("SHEBAO_HUEY_IMMEDIATE", False),
    "consumer": {"workers": 1, "worker_type": "thread"},
}
