"""The JSON Schema files: generated from schema.py, shipped, and in agreement with the loader."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, run_cli
from glossator import schema
from glossator.load import load

SHIPPED = Path(schema.__file__).parent / "schemas"
BAD = Path(__file__).parent / "bad"


class Yaml12Loader(yaml.SafeLoader):
    """Reads dates as text, as editors' YAML 1.2 language servers do."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def validator(spec: schema.FileSpec):
    return jsonschema.Draft7Validator(schema.json_schema(spec))


@pytest.mark.parametrize("spec", schema.FILES, ids=lambda s: s.filename)
def test_the_shipped_files_are_generated_from_schema_py(spec):
    shipped = (SHIPPED / schema.schema_filename(spec)).read_text(encoding="utf-8")
    assert shipped == schema.json_schema_text(spec), "run: python -m glossator.schema"


@pytest.mark.parametrize("spec", schema.FILES, ids=lambda s: s.filename)
def test_each_is_a_valid_draft_7_schema_naming_every_field(spec):
    data = schema.json_schema(spec)
    jsonschema.Draft7Validator.check_schema(data)
    assert list(data["items"]["properties"]) == list(spec.known)
    assert data["items"]["required"] == list(spec.required)


@pytest.mark.parametrize("spec", schema.FILES, ids=lambda s: s.filename)
def test_the_bundled_annotations_are_valid(spec):
    data = yaml.load((REPO / "annotations" / spec.filename).read_text(encoding="utf-8"), Loader=Yaml12Loader)
    errors = [e.message for e in validator(spec).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("case, spec", [
    ("y104-missing-body", schema.NOTES), ("y104-term-missing-definition", schema.GLOSSARY),
    ("y105-unknown-field-did-you-mean", schema.NOTES), ("y106-paragraph-not-a-number", schema.NOTES),
    ("y106-see-is-a-mapping", schema.NOTES), ("y106-id-with-capitals", schema.NOTES),
    ("y110-empty-body", schema.NOTES), ("y102-mapping-at-top", schema.CHRONOLOGY),
    ("y103-item-not-a-mapping", schema.NOTES), ("c101-not-iso", schema.CHRONOLOGY),
    ("n104-unknown-kind", schema.NOTES),
])
def test_what_the_loader_refuses_the_schema_refuses(case, spec, tmp_path):
    root = tmp_path / "ed"
    shutil.copytree(BAD / "base", root)
    shutil.copytree(BAD / case, root, dirs_exist_ok=True)
    assert any(f.severity == "error" for f in load(root).findings)
    data = yaml.load((root / "annotations" / spec.filename).read_text(encoding="utf-8"), Loader=Yaml12Loader)
    assert list(validator(spec).iter_errors(data)), f"the schema accepts {case}"


@pytest.mark.parametrize("spec", schema.FILES, ids=lambda s: s.filename)
def test_what_the_loader_accepts_the_schema_accepts(spec):
    text = (BAD / "base" / "annotations" / spec.filename).read_text(encoding="utf-8")
    assert list(validator(spec).iter_errors(yaml.load(text, Loader=Yaml12Loader))) == []


def test_unquoted_years_and_numbers_as_text_are_valid_in_both():
    data = yaml.load("- date: 2003\n  event: 1979\n", Loader=Yaml12Loader)
    assert list(validator(schema.CHRONOLOGY).iter_errors(data)) == []


def test_the_schema_command_prints_the_shipped_file():
    result = run_cli("schema", "notes")
    assert result.returncode == 0
    assert result.stdout == (SHIPPED / "notes.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout)["title"] == "Glossator sidenotes"
