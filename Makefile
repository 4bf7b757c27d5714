# newsdesk: everything a fresh machine (Python 3.11, pip, make, git) needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= newsdesk.db

.PHONY: run test install dev lint format eval bench bench-bodies clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,distributed,names]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

## Crawl the embedded demo site into $(DB) and say how to look inside.
run: install
	$(BIN)/newsdesk demo --db $(DB)

## The whole test suite.
test: dev
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Precision/recall of statements and figures against tests/gold.
eval: install
	$(BIN)/newsdesk eval

## newsdesk against bare trafilatura and a naive Scrapy spider -> BENCHMARKS.md.
## Needs ../shared/corpus; `make bench BENCH_ARGS=--quick` for a short run.
bench: dev
	$(BIN)/python -m bench.compare $(BENCH_ARGS)

## Body quality against plain trafilatura: trafilatura's evaluation set (per language
## P/R/F1, refused pages), AEB body F1, fundus dates. Needs ../shared/corpus; minutes.
bench-bodies: dev
	$(BIN)/python -m bench.body_quality $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
