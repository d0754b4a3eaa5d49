"""Kiosque's one Django settings module. Every value comes from `kiosque.conf` (environment-driven,
documented in the README's configuration table); nothing else reads the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from kiosque.conf import SETTINGS, env_value

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_value("KIOSQUE_DATA_DIR")).expanduser().resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env_value("KIOSQUE_SECRET_KEY")
    if configured:
        return str(configured)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_value("KIOSQUE_DEBUG")
ALLOWED_HOSTS = env_value("KIOSQUE_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_value("KIOSQUE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "kiosque.sources",
    "kiosque.articles",
    "kiosque.crawler",
    "kiosque.moderation",
    "kiosque.portal",
    "kiosque.api",
    "kiosque.syndication",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kiosque.portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kiosque.urls"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
WSGI_APPLICATION = "kiosque.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def _databases() -> dict[str, dict[str, object]]:
    url = env_value("KIOSQUE_DATABASE_URL")
    if url:
        return {"default": dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "kiosque.sqlite3"),
            # WAL lets the server read while the crawler writes; IMMEDIATE transactions plus a
            # busy timeout make concurrent writers wait instead of failing with "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            "TEST": {"NAME": str(DATA_DIR / "test-kiosque.sqlite3")},
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_value("KIOSQUE_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "state": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                  "KEY_PREFIX": "state"},
    }
else:
    # A file cache is shared by every server process and the crawler on one machine,
    # so invalidation after a crawl reaches all of them (LocMem would not).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # The default of 300 entries culls pages at random under traffic; pages are small files.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Small shared state (the content version) kept apart so that culling pages never drops it: losing it
        # would invalidate every page and make each request re-derive it.
        "state": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache-state"),
            "TIMEOUT": None,
        },
    }

# Each server process also keeps the pages it served last in memory, in front of the shared cache above: a hit
# then costs no file read (or Redis round trip) and no decompression. Keys carry the content version, so a
# content change reaches these copies too. 500 pages of ~40 KB: ~20 MB per process at most.
CACHES["pages-local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "kiosque-pages",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_value("KIOSQUE_TIME_ZONE")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root; the finders serve our files
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"kiosque": {"handlers": ["console"], "level": env_value("KIOSQUE_LOG_LEVEL"), "propagate": False}},
}

# Kiosque's own knobs, read by services through django.conf.settings (every setting of the registry).
KIOSQUE = {setting.name: env_value(setting.name) for setting in SETTINGS}
