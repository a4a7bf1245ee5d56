# make run: the bot (console chat on SQLite when no token is set); make test: the whole suite;
# make lint: ruff and mypy.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fuzz clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot

test: $(STAMP)
	$(PY) -m pytest -q -n auto

# About five minutes of new random examples; a failure is kept in .hypothesis/ and replayed first.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:xdist tests/test_fuzz_router.py tests/test_fuzz_parsers.py

bench: $(STAMP)
	$(PY) bench/ask.py
	$(PY) bench/import.py
	$(PY) bench/stats.py
	$(PY) bench/statements.py
	$(PY) bench/telegram.py
	$(PY) bench/zalo.py
	$(PY) bench/broadcast.py
	$(PY) bench/router.py
	$(PY) bench/scheduler.py

# Style, then types: mypy reads its settings (strict on campaign/ and usecases/) from pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
