# The two commands: `make run` and `make test`. See README.md.
.PHONY: run test lint bench

run:
	scripts/run.sh

test:
	scripts/test.sh

lint:
	.venv/bin/ruff check src benchmarks && .venv/bin/mypy src/helhed

bench:
	.venv/bin/helhed bench demo --citizens 100000
