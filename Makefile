# Two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000

.PHONY: run test test-fast lint worker beat migrate messages bench venv clean backup restore

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

migrate: venv
	$(PY) manage.py migrate --noinput

## make run: set up, migrate, load the demo county into an empty database, serve.
run: migrate
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST)

## make test: set up, check the installed packages match requirements.txt, run every test
## (PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set).
test: venv
	$(PY) -m tongxiang.requirements_check requirements.txt
	$(PY) manage.py makemigrations --check --dry-run -v0 --settings=tongxiang.settings.test
	$(PY) -m pytest

test-fast: venv
	$(PY) -m pytest -m "not e2e" -x -q

lint: venv
	$(VENV)/bin/ruff check .

## make worker / make beat: the Celery processes; both need REDIS_URL (run exactly one beat).
worker: venv
	@test -n "$$REDIS_URL" || { echo "REDIS_URL is not set: without a broker tasks run in-process (make run)."; exit 2; }
	$(VENV)/bin/celery -A tongxiang worker --loglevel=INFO --concurrency=2

beat: venv
	@test -n "$$REDIS_URL" || { echo "REDIS_URL is not set: without a broker run sweeps with 'manage.py run_reminders'."; exit 2; }
	mkdir -p var
	$(VENV)/bin/celery -A tongxiang beat --loglevel=INFO --schedule var/celerybeat-schedule

## make backup [BACKUP=file]: back up the database (pg_dump on PostgreSQL, SQLite's backup API
## on the embedded default); default file var/backups/tongxiang-<time>.backup.
## make restore BACKUP=file: replace the database with that backup (asks first).
backup: venv
	$(PY) manage.py backup_db $(if $(BACKUP),--out $(BACKUP))

restore: venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<file>.backup"; exit 2; }
	$(PY) manage.py restore_db $(BACKUP)

messages: venv
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles

bench: venv
	$(PY) bench/planner.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
