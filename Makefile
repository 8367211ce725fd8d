# Two commands for a fresh machine: `make run` and `make test`. Both create the
# virtual environment on first use (the pinned versions of requirements-dev.lock, then
# the project) and reinstall when pyproject.toml or the lock changes. `make lock`
# pins the versions again after a dependency changes in pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean lock

$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

lock: $(STAMP)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements-dev.lock

# The demo's seller profile unless one is set: briefings then have their "why us".
run: $(STAMP)
	DEALCOACH_SELLER="$${DEALCOACH_SELLER:-storage/demo_seller.yaml}" $(BIN)/dealcoach run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot coaching prompts storage benchmarks testkit
	$(BIN)/pytest -n auto --dist loadfile -m "not serial"
	$(BIN)/pytest -m serial

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy bot coaching prompts storage benchmarks testkit

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
