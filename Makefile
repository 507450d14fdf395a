# The two commands of the README: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test setup index lint bench eval clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch first, pinned: its CPU wheel lies on the build machines' disk; unpinned pulls a CUDA build
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

index: setup
	$(BIN)/qabot index

run: setup index
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || [ -n "$$TELEGRAM_BOT_TOKEN_FILE" ]; then \
		exec $(BIN)/qabot bot; \
	else \
		echo "No TELEGRAM_BOT_TOKEN set: starting the console chat (set it to run the Telegram bot)."; \
		exec $(BIN)/qabot chat; \
	fi

test: setup
	$(BIN)/ruff check retrieval bot tests benchmarks
	$(BIN)/python -m pytest -q

eval: setup
	$(BIN)/qabot eval --mode all --plot docs/recall.png

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) vectors/manifest.json vectors/*-*
