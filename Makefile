# Managing doctors, doctors managing: the data package, built file by file.
#
#   make            build the package (installs .venv first if needed)
#   make test       build, validate and run the tests
#   make validate   check the built package against its schemas and the register
#   make bench      run the benchmarks
#   make clean      remove everything built (make rebuilds it byte for byte)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

SOURCES := $(wildcard tables/source/*.csv) $(wildcard tables/curation/*.csv)
SCHEMAS := $(wildcard schemas/*.json)
PIPELINE := $(wildcard pipeline/*.py) $(wildcard checks/*.py)
# One CSV per Table Schema: schemas/x.json describes tables/x.csv.
RESOURCES := $(patsubst schemas/%.json,tables/%.csv,$(filter-out schemas/package.json,$(SCHEMAS)))

.PHONY: all install build validate test bench clean

all: build

install: $(INSTALLED)

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

build: datapackage.json

# Transcription -> tidy CSVs -> descriptor, in one step that writes all or nothing.
datapackage.json $(RESOURCES) &: $(SOURCES) $(SCHEMAS) $(PIPELINE) $(INSTALLED)
	$(PY) -m pipeline.build

# Frictionless: types, constraints, keys, hashes. Then pandera: schema-derived models and the
# arithmetic rules, with every discrepancy required to be in the register.
validate: datapackage.json
	$(VENV)/bin/frictionless validate datapackage.json > /dev/null || $(VENV)/bin/frictionless validate datapackage.json
	$(PY) -m checks.validate

bench: $(INSTALLED)
	$(PY) -m benchmarks.validation

test: validate
	$(PY) -m pytest

clean:
	rm -rf $(VENV) datapackage.json $(RESOURCES) .pytest_cache
