# Two commands for a fresh machine: `make run` and `make test`. Both create the
# virtual environment on first use and reinstall when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo's seller profile unless one is set: briefings then have their "why us".
run: $(STAMP)
	DEALCOACH_SELLER="$${DEALCOACH_SELLER:-storage/demo_seller.yaml}" $(BIN)/dealcoach run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot coaching prompts storage benchmarks testkit
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy bot coaching prompts storage benchmarks testkit

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
