# barriermap: `make demo` runs the main job, `make test` runs lint and the whole test suite.
# Both create .venv when it is missing and install what they need (Debian's graphviz and a Java
# runtime for the HermiT reasoner when run as root on Debian; otherwise a one-line hint).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.barriermap-installed
DEMO_OUT ?= demo-out

.PHONY: demo test lint format bench system-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing barriermap and its dependencies into $(VENV) (a minute or two the first time; once only)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# the editable install keeps its metadata in $(VENV); the egg-info setuptools leaves here is a by-product
	@rm -rf barriermap.egg-info
	@touch $(STAMP)

system-deps:
	@need=""; \
	command -v dot >/dev/null 2>&1 || need="$$need graphviz"; \
	command -v java >/dev/null 2>&1 || need="$$need default-jre-headless"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages:$$need"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need >/dev/null; \
	  else \
	    echo "note: missing$$need — install with 'sudo apt-get install$$need'; drawings or reasoner checks are skipped until then"; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) system-deps lint
	$(BIN)/pytest

demo: $(STAMP) system-deps
	$(BIN)/barriermap validate examples/best
	$(BIN)/barriermap code agreement examples/best
	$(BIN)/barriermap barriers examples/best
	$(BIN)/barriermap demo --out $(DEMO_OUT)
	$(BIN)/barriermap evaluate examples/best
	$(BIN)/barriermap explain examples/best B1
	$(BIN)/barriermap ontology check examples/best
	@echo "Open $(DEMO_OUT)/report/report.html in a browser."

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
