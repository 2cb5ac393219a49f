# Managing doctors, doctors managing: the data package, built file by file.
#
#   make            build the package and its DuckDB and SQLite databases into build/stage/, check everything
#                   there, and only then publish it (installs .venv first)
#   make serve      build what is missing and serve it read-only through Datasette (PORT=8001)
#   make serve-public  the same behind nginx as a caching reverse proxy, over two Datasette processes
#   make test       build, validate and run the tests
#   make validate   run every check on the staged build (build/stage/) without publishing it
#   make bench      run the benchmarks
#   make mutation   mutation testing of the checks and the pipeline (mutmut; not part of make test)
#   make dist       the release bundle, dist/<name>-<version>.zip (published with everything else)
#   make serve-public  serve behind a caching nginx proxy over several Datasette processes
#   make lock       turn the pins of requirements.txt into the hashed requirements.lock (needs .venv)
#   make clean      remove everything built (make rebuilds it byte for byte)

# Two cores: independent steps (the DuckDB and SQLite loads, the pandera and GX checks) run side by side,
# each step's output shown whole when it ends. Not for make serve and serve-public themselves: output sync
# would hold back the server's address and access log until it stops; they build through a sub-make
# that syncs, then run the server with its output as it comes.
# make test too: pytest shows its progress as it runs, which output sync would hold back until the end.
ifeq ($(filter serve serve-public test,$(MAKECMDGOALS)),)
MAKEFLAGS += --jobs=2 --output-sync=target
endif

# The .venv's interpreter: Debian's CPython 3.11 where it has venv (built with profile-guided
# optimisation: the clean build runs about 7% faster than on an unoptimised python3), else python3.
# Expanded only when .venv is created.
PYTHON ?= $(shell /usr/bin/python3.11 -c "import ensurepip, venv" 2>/dev/null && echo /usr/bin/python3.11 || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

SOURCES := $(wildcard transcription/printed/*.csv) $(wildcard transcription/curation/*.csv) \
	$(wildcard schemas/transcription/*.json) $(wildcard schemas/transcription/*/*.json)
SCHEMAS := $(wildcard schemas/*.json)
# The build reads core/ and analysis/ and never checks/ or web/.
PIPELINE := $(wildcard core/*.py) $(wildcard analysis/*.py) $(wildcard pipeline/*.py)
# One CSV per Table Schema: schemas/x.json describes tables/x.csv.
RESOURCES := $(patsubst schemas/%.json,tables/%.csv,$(filter-out schemas/package.json,$(SCHEMAS)))

VIEWS := $(wildcard sql/*.sql)

# <name>-<version> from schemas/package.json, the one place that states them (sed: no interpreter start-up
# on every make; tests/test_dist.py checks it reads the same as json does).
RELEASE := $(shell sed -n -E 's/^  "(name|version)": "([^"]+)",?$$/\2/p' schemas/package.json | paste -sd-)
PORT ?= 8001

# Every stage writes into the staged build, laid out as the repository (build/stage/tables/x.csv is published
# as tables/x.csv, build/stage/build/x as build/x), and every check runs on it; publish/gate.py replaces the
# published files only once all have passed. The staged build persists, so make rebuilds only what changed.
STAGE := build/stage
DESCRIPTOR := $(STAGE)/datapackage.json
DUCKDB := $(STAGE)/build/managing_doctors.duckdb
SQLITE := $(STAGE)/build/managing_doctors.sqlite
WORKBOOK := $(STAGE)/build/$(RELEASE).xlsx
DIST_ZIP := $(STAGE)/dist/$(RELEASE).zip
METADATA := $(STAGE)/build/metadata.json
REGISTER_CHECKED := $(STAGE)/register.passed
VALIDATION := $(STAGE)/expectations.passed
# Written once the staged build is published and the served snapshot made (build/served/<build id>/).
PUBLISHED := $(STAGE)/published

.PHONY: all install lock system-packages build databases serve serve-public validate lint committed-outputs test \
	mutation bench clean dist release-name

all: $(PUBLISHED)

install: $(INSTALLED)

# Debian's chromium (browser test) and wrk (load benchmark), installed if missing and root.
system-packages:
	@tools/install-system-packages

# uv installs the .venv from requirements.lock, every file checked against its hash. uv itself comes
# from PyPI through the interpreter's pip (hash-checked too), so a fresh machine needs only Python and make.
$(INSTALLED): requirements.lock requirements-uv.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-uv.txt
	$(VENV)/bin/uv pip sync --quiet --require-hashes --python $(PY) requirements.lock
	touch $@

# requirements.txt holds the pins (uv's among them); make lock turns them into the hashed lock files.
lock: $(INSTALLED)
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock" \
	  requirements.txt -o requirements.lock
	grep '^uv==' requirements.txt | $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	  --custom-compile-command "make lock" - -o requirements-uv.txt

# Nothing is published on its own: building, the databases and the bundle are published together, checked.
build databases dist: $(PUBLISHED)

# Transcription -> tidy CSVs -> descriptor, in one step that writes all or nothing, checked by Frictionless
# (the inputs against schemas/transcription/, the built package against schemas/).
$(DESCRIPTOR) $(STAGE)/csv-metadata.json $(addprefix $(STAGE)/,$(RESOURCES)) &: $(SOURCES) $(SCHEMAS) $(PIPELINE) \
		$(INSTALLED)
	$(PY) -m pipeline.build

# DuckDB tables (keys, types, comments from schemas/), the views of sql/, and Parquet downloads.
$(DUCKDB): $(DESCRIPTOR) $(VIEWS) pipeline/load_duckdb.py pipeline/ddl.py core/sqlfiles.py core/types.py analysis/verdicts.py
	$(PY) -m pipeline.load_duckdb

# The same tables and views in SQLite, through sqlite-utils: what Datasette serves.
$(SQLITE): $(DESCRIPTOR) $(VIEWS) pipeline/load_sqlite.py pipeline/ddl.py core/sqlfiles.py core/types.py analysis/verdicts.py
	$(PY) -m pipeline.load_sqlite

# pandera: schema-derived models and the arithmetic rules, every discrepancy required to be in the
# register and every derived resource current. The stamp is written only when all of that holds.
$(REGISTER_CHECKED): $(DESCRIPTOR) $(PIPELINE) $(wildcard checks/*.py)
	$(PY) -m checks.validate

# The accessible workbook (gptables) from the validated resources: only once pandera has passed.
$(WORKBOOK): $(DESCRIPTOR) $(SCHEMAS) $(REGISTER_CHECKED) pipeline/workbook.py core/frames.py sql/claims_checked.sql pipeline/ddl.py
	$(PY) -m pipeline.workbook

# The citation file, generated so that the version and date are stated once (schemas/package.json).
CITATION.cff: schemas/package.json pipeline/citation.py $(INSTALLED)
	$(PY) -m pipeline.citation

# Great Expectations on the SQLite database that will be served; its report into build/validation/, which
# Datasette serves at /validation/. The stamp is written only when every expectation passes.
$(VALIDATION): $(SQLITE) $(DESCRIPTOR) $(SCHEMAS) checks/expectations.py checks/checkpoint.py core/types.py
	$(PY) -m checks.checkpoint

# The release bundle, only from a build that passed every check; the same files give the same zip bytes.
$(DIST_ZIP): $(DESCRIPTOR) $(SCHEMAS) $(WORKBOOK) $(DUCKDB) $(SQLITE) $(VALIDATION) $(REGISTER_CHECKED) \
		LICENSE CITATION.cff CHANGELOG.md pipeline/dist.py
	$(PY) -m pipeline.dist

# Datasette's metadata from datapackage.json, schemas/ and sql/ (never written by hand), with the
# checksums of the very bundle and workbook that are published beside it.
$(METADATA): $(DESCRIPTOR) $(VIEWS) $(wildcard sql/queries/*.sql) sql/dashboards.json web/metadata.py \
		web/presentation.py web/static/site.css pipeline/catalogue.py CHANGELOG.md $(DUCKDB) $(SQLITE) $(WORKBOOK) \
		$(DIST_ZIP)
	$(PY) -m web.metadata

# The gate: once every check has passed on the staged build, the published files whose bytes differ are
# replaced by renames (descriptors and metadata last), then the served snapshot build/served/<build id>/ is
# made and build/served/current swapped to it. A refused build stops before this: nothing published changes.
$(PUBLISHED): $(DESCRIPTOR) $(DUCKDB) $(SQLITE) $(WORKBOOK) $(DIST_ZIP) $(METADATA) $(REGISTER_CHECKED) \
		$(VALIDATION) $(wildcard publish/*.py)
	$(PY) -m publish.gate
	@touch $@

# The main job: serve the package read-only on 127.0.0.1 (make serve PORT=8002 for another port). After the
# build's lines, it says where; the access log follows as requests come. It serves build/served/current, and
# moves to each new snapshot a later make publishes without refusing a request (web/serve.py).
serve:
	+@$(MAKE) --no-print-directory all
	@$(PY) -m web.serve --port $(PORT)

# The same, behind Debian's nginx as a caching reverse proxy on 127.0.0.1:$(PORT), over BACKENDS Datasette
# processes; nginx's configuration is web/nginx.conf, its cache build/proxy/. Ctrl-C stops them all.
# A later make's snapshot is taken without refusing a request, a dead process restarted (web/proxy.py).
BACKENDS ?= 2
serve-public:
	+@$(MAKE) --no-print-directory all system-packages
	@$(PY) -m web.proxy --port $(PORT) --backends $(BACKENDS)

# Every check on the staged build, without publishing it: Frictionless (types, constraints, keys, hashes;
# it runs in the build), pandera and the register, Great Expectations.
validate: $(REGISTER_CHECKED) $(VALIDATION)

# Every benchmark, bounded and on loopback, as one table (about four minutes).
bench: all system-packages
	$(PY) -m benchmarks.run

lint: $(INSTALLED)
	$(VENV)/bin/ruff check --quiet .

# The committed outputs are what a build of the committed sources writes: built into a scratch folder
# and compared byte for byte, before anything is built (.ci/run runs it first).
# Where they differ, checks/committed.py names each changed value (resource, row key, column, old -> new).
committed-outputs: $(INSTALLED)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && $(PY) -m pipeline.build --out "$$tmp" && \
	$(PY) -m checks.committed "$$tmp"

# The tests run on both cores (pytest-xdist), each file's tests on one worker: several files share a
# module's server, build or tally (the URL sweep counts the URLs all its examples covered).
test:
	+@$(MAKE) --no-print-directory --jobs=2 --output-sync=target lint all system-packages
	$(PY) -m pytest -n 2 --dist loadfile

# Mutation testing, apart from make test (docs/mutation.md says how long it took): mutmut changes analysis/, checks/,
# pipeline/ and web/'s escaping and request checks one thing at a time and runs the unit layer (tests/unit) on
# each change. tools/mutation.py prints the score per package, writes it into docs/mutation.md, and fails on a
# mutant that survives unlisted in tests/equivalent_mutants.csv or on a package below 90% killed.
MUTATION_JOBS ?= 2
MUTATION_BUDGET ?=
mutation: $(INSTALLED)
	rm -rf mutants && mkdir -p build
	nice -n 10 $(PY) -m tools.mutation run --jobs $(MUTATION_JOBS) $(if $(MUTATION_BUDGET),--budget $(MUTATION_BUDGET)) \
	  > build/mutation.log 2>&1 || \
	  { tail -40 build/mutation.log; exit 1; }
	$(PY) -m tools.mutation report --docs docs/mutation.md

# What RELEASE reads from schemas/package.json (for the tests).
release-name:
	@echo $(RELEASE)

clean:
	rm -rf $(VENV) build dist mutants datapackage.json csv-metadata.json $(RESOURCES) .pytest_cache
