# The two commands of the README: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORDNET := $(VENV)/share/wordnet
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

# WordNet 3.0 (synonym matching, retrieval/lexicon.py): Debian's wordnet-base, copied from
# where it is installed, else downloaded as a package and unpacked (no root needed for that)
$(WORDNET)/data.noun: | $(BIN)/python
	mkdir -p $(WORDNET)
	if [ -f /usr/share/wordnet/data.noun ]; then src=/usr/share/wordnet; else \
		d=$$(mktemp -d) && cd $$d && { apt-get download -qq wordnet-base 2>/dev/null || \
			{ [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get download -qq wordnet-base 2>/dev/null; }; } && \
		dpkg-deb -x wordnet-base_*.deb x && cd - >/dev/null && src=$$d/x/usr/share/wordnet; fi && \
	cp $$src/data.noun $$src/data.verb $$src/data.adj $$src/data.adv \
		$$src/index.noun $$src/index.verb $$src/index.adj $$src/index.adv $(WORDNET)/

setup: $(STAMP) $(WORDNET)/data.noun

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
