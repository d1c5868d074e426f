"""`glossator schema KIND`: print the JSON Schema of one annotation file, for editors.

    glossator schema notes > annotations/notes.schema.json

and the line `# yaml-language-server: $schema=notes.schema.json` at the top of
annotations/notes.yaml gives completion and validation in editors that use the
YAML language server. The same files ship in the package (glossator/schemas/).
"""
from __future__ import annotations

import sys

from .. import schema

_SPECS = {spec.filename.removesuffix(".yaml"): spec for spec in schema.FILES}


def add_parser(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of an annotation file, for editors")
    p.add_argument("kind", type=str.lower, choices=sorted(_SPECS), help="which file's schema")


def run(args) -> int:
    sys.stdout.write(schema.json_schema_text(_SPECS[args.kind]))
    return 0
