.PHONY: demo test bench lint
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
bench:
	.venv/bin/python bench/bench.py
lint:
	.venv/bin/ruff check src tests bench
