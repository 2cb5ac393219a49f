# Managing doctors, doctors managing: the data package, built file by file.
#
#   make            build the package (installs .venv first if needed)
#   make test       build, validate and run the tests
#   make validate   check the built package against its schemas
#   make clean      remove everything built (make rebuilds it byte for byte)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

SOURCES := $(wildcard tables/source/*.csv) $(wildcard tables/curation/*.csv)
SCHEMAS := $(wildcard schemas/*.json)
PIPELINE := $(wildcard pipeline/*.py)
RESOURCES := tables/tables.csv tables/role_groups.csv tables/items.csv tables/survey_results.csv \
	tables/printed_significance.csv tables/role_profile.csv tables/interview_participants.csv \
	tables/text_figures.csv

.PHONY: all install build validate test clean

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

validate: datapackage.json
	$(VENV)/bin/frictionless validate datapackage.json > /dev/null || $(VENV)/bin/frictionless validate datapackage.json

test: validate
	$(PY) -m pytest

clean:
	rm -rf $(VENV) datapackage.json $(RESOURCES) .pytest_cache
