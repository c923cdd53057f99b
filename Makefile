# Two commands do all set-up on a fresh machine with Python 3.11, make and git:
#   make tour   creates .venv if missing, installs, runs `mlops-kit tour`
#   make test   same set-up, then ruff and the whole test suite (tutorials included)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: tour test lint lab bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

tour: $(STAMP)
	$(BIN)/mlops-kit tour $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check mlops_kit tests benchmarks

test: $(STAMP) lint
	MPLBACKEND=Agg $(BIN)/python -m pytest --doctest-modules mlops_kit -p no:cacheprovider -q
	MPLBACKEND=Agg $(BIN)/python -m pytest tests -p no:cacheprovider
	MPLBACKEND=Agg $(BIN)/python -m pytest --nbval tutorials --nbval-sanitize-with tests/sanitize.cfg -p no:cacheprovider

lab: $(STAMP)
	$(BIN)/jupyter lab tutorials

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) mlops-kit-tour .pytest_cache
