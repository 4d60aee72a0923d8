import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=60)


def test_time_zone_and_language_are_chinese():
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_python("import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
                        "'tongxiang.settings.production'; django.setup()",
                        DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_start_with_a_secret_key():
    result = run_python("import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
                        "'tongxiang.settings.production'; django.setup(); print('ok')",
                        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_without_redis_url_celery_runs_tasks_in_process():
    result = run_python("import os; os.environ.pop('REDIS_URL', None);"
                        "os.environ['DJANGO_SETTINGS_MODULE']='tongxiang.settings.local';"
                        "import django; django.setup(); from tongxiang import celery_app as a;"
                        "print(a.conf.task_always_eager, a.conf.broker_url)", REDIS_URL="")
    assert result.stdout.split() == ["True", "memory://"], result.stderr


def test_with_redis_url_celery_uses_the_broker():
    result = run_python("import os; os.environ['DJANGO_SETTINGS_MODULE']='tongxiang.settings.local';"
                        "import django; django.setup(); from tongxiang import celery_app as a;"
                        "print(a.conf.task_always_eager, a.conf.broker_url)",
                        REDIS_URL="redis://127.0.0.1:6379/5")
    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/5"], result.stderr


def test_the_embedded_default_database_is_sqlite():
    result = run_python("import os; os.environ['DJANGO_SETTINGS_MODULE']='tongxiang.settings.local';"
                        "import django; django.setup(); from django.conf import settings as s;"
                        "print(s.DATABASES['default']['ENGINE'])", DATABASE_URL="")
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


def test_no_template_loads_anything_from_a_cdn():
    offenders = [
        str(path) for path in (ROOT / "templates").rglob("*.html")
        if any(host in path.read_text() for host in ("cdn.", "googleapis", "jsdelivr", "unpkg", "bootcdn"))
    ]
    assert offenders == []


def test_with_redis_url_the_cache_is_shared_through_redis():
    result = run_python("import os; os.environ['DJANGO_SETTINGS_MODULE']='tongxiang.settings.local';"
                        "import django; django.setup(); from django.conf import settings as s;"
                        "print(s.CACHES['default']['BACKEND'])", REDIS_URL="redis://127.0.0.1:6379/5")
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


def test_production_collectstatic_succeeds_with_hashed_names(tmp_path):
    # CompressedManifestStaticFilesStorage fails on a reference to a missing file (a
    # vendored library's source map, say): in production that would be a 500 on every page.
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
             "DJANGO_SETTINGS_MODULE": "tongxiang.settings.production",
             "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "example.org",
             "DJANGO_STATIC_ROOT": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list((tmp_path / "vendor" / "bootstrap").glob("bootstrap.min.*.css"))


def test_every_static_file_a_template_names_exists():
    import re

    named = {
        match for path in (ROOT / "templates").rglob("*.html")
        for match in re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]""", path.read_text())
    }
    assert named, "no {% static %} found: the check itself is broken"
    missing = sorted(name for name in named if not (ROOT / "static" / name).is_file())
    assert missing == []


def test_templates_are_compiled_once_per_process_in_every_environment():
    """No settings module lists its own template loaders, so Django wraps them in the cached
    loader everywhere (development included): a template is parsed once per process."""
    from pathlib import Path

    from django.template import engines

    settings_dir = Path(__file__).resolve().parent.parent / "tongxiang" / "settings"
    for module in settings_dir.glob("*.py"):
        assert '"loaders"' not in module.read_text(encoding="utf-8"), module.name
    loaders = engines["django"].engine.template_loaders
    assert [type(loader).__module__ for loader in loaders] == ["django.template.loaders.cached"]
