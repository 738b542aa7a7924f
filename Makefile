# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv and install the project with pinned dependencies on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,cluster]'
	touch $@

install: $(VENV)/.installed

# Build the graph from the example documents into exports/.
demo: install
	$(BIN)/kg build examples -o exports

# Run the test suite.
test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) exports/graph.* .pytest_cache
