#!/usr/bin/env python3
"""Check schema/stockyard.schema.json against the examples and the config fixtures.

Usage: python3 scripts/check_schema.py

1. The schema itself must be a valid JSON Schema 2020-12 document, and every
   property in it must carry a `description` (editors show it on hover).
2. examples/*/stockyard.yaml and Tests/StockyardConfigTests/Fixtures/valid/*.yaml
   must validate (examples must also start with the yaml-language-server line).
3. Tests/StockyardConfigTests/Fixtures/invalid/*.yaml whose first line is
   `# schema: invalid` must load as YAML and then FAIL schema validation. The
   other invalid fixtures hold errors the schema cannot see (YAML syntax,
   duplicate keys, undefined warehouses, ...) and are skipped.

YAML is read the way Stockyard reads it (YAML 1.2 core schema), not with
PyYAML's YAML 1.1 rules: `NO`, `on` and `yes` stay strings, dates stay strings,
mapping keys are always the key's text, duplicate keys are rejected, there are
no merge keys (`<<`), and alias expansion is capped.

Prints one line per file and closes with `N passed, N failed`; exits 1 on any
failure.
"""

import json
import re
import sys
from pathlib import Path

try:
    import yaml
    from yaml.constructor import ConstructorError
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
except ImportError:
    sys.stderr.write(
        "check_schema.py needs PyYAML: python3 -m pip install pyyaml "
        "(Debian/Ubuntu: apt-get install python3-yaml)\n"
    )
    sys.exit(1)

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    sys.stderr.write(
        "check_schema.py needs jsonschema 4 or later: python3 -m pip install 'jsonschema>=4' "
        "(Debian/Ubuntu: apt-get install python3-jsonschema)\n"
    )
    sys.exit(1)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "stockyard.schema.json"
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "Tests" / "StockyardConfigTests" / "Fixtures"
SCHEMA_INVALID_MARK = "# schema: invalid"
EDITOR_LINE = "# yaml-language-server: $schema=../../schema/stockyard.schema.json"

# Most nodes a document may expand to once aliases are followed (billion laughs).
MAX_EXPANDED_NODES = 100_000

# YAML 1.2 core schema, as Stockyard reads it.
NULL_RE = re.compile(r"^(?:null|~|)$")
BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
INT_RE = re.compile(r"^[-+]?[0-9]+$")

TAG_NULL = "tag:yaml.org,2002:null"
TAG_BOOL = "tag:yaml.org,2002:bool"
TAG_INT = "tag:yaml.org,2002:int"
TAG_STR = "tag:yaml.org,2002:str"


class CoreSchemaLoader(yaml.SafeLoader):
    """A SafeLoader with YAML 1.2 core-schema typing instead of YAML 1.1's."""

    def resolve(self, kind, value, implicit):
        # implicit[0] is true for plain (unquoted) scalars without a tag.
        if kind is ScalarNode and implicit[0]:
            if NULL_RE.match(value):
                return TAG_NULL
            if BOOL_RE.match(value):
                return TAG_BOOL
            if INT_RE.match(value):
                return TAG_INT
            return TAG_STR
        return super().resolve(kind, value, implicit)

    def construct_yaml_int(self, node):
        value = self.construct_scalar(node)
        if INT_RE.match(value):
            return int(value, 10)  # 0123 is 123, not YAML 1.1 octal
        return super().construct_yaml_int(node)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            raise ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        mapping = {}
        first_seen = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ConstructorError(
                    "while reading a mapping", node.start_mark,
                    "a mapping key must be a plain value, not a list or mapping",
                    key_node.start_mark,
                )
            key = key_node.value  # always the key's text: 1234, NO and on stay strings
            if key in mapping:
                first = first_seen[key]
                raise ConstructorError(
                    f"while reading a mapping (first `{key}` at line {first.line + 1}, "
                    f"column {first.column + 1})",
                    node.start_mark,
                    f"duplicate key `{key}`",
                    key_node.start_mark,
                )
            first_seen[key] = key_node.start_mark
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def compose_document(self):
        node = super().compose_document()
        _check_expansion(node)
        return node


CoreSchemaLoader.add_constructor(TAG_INT, CoreSchemaLoader.construct_yaml_int)


def _check_expansion(root):
    """Refuse documents whose aliases expand to too many nodes, or recurse."""
    sizes = {}
    visiting = set()

    def size(node):
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise yaml.YAMLError(f"recursive alias at {node.start_mark}")
        visiting.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child)
                if total > MAX_EXPANDED_NODES:
                    break
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
                if total > MAX_EXPANDED_NODES:
                    break
        visiting.discard(key)
        sizes[key] = total
        return total

    if root is not None and size(root) > MAX_EXPANDED_NODES:
        raise yaml.YAMLError(
            f"aliases expand to more than {MAX_EXPANDED_NODES} nodes (billion laughs?)"
        )


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CoreSchemaLoader)


def rel(path):
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def where(error):
    parts = [str(p) for p in error.absolute_path]
    return "/" + "/".join(parts) if parts else "(root)"


def describe(errors, limit=3):
    shown = "; ".join(f"{where(e)}: {e.message}" for e in errors[:limit])
    more = len(errors) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


def properties_without_description(schema, path="#"):
    """Yield JSON pointers of properties that lack a description."""
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            if isinstance(sub, dict) and "description" not in sub:
                # `"path": false` in an if/then only forbids a key; it needs no text.
                yield f"{path}/properties/{name}"
        for k, v in schema.items():
            if k == "if":
                continue  # conditions (`platform: {const: shopify}`) describe nothing
            yield from properties_without_description(v, f"{path}/{k}")
    elif isinstance(schema, list):
        for i, v in enumerate(schema):
            yield from properties_without_description(v, f"{path}/{i}")


def main():
    passed = failed = 0

    def ok(path, note):
        nonlocal passed
        passed += 1
        print(f"ok    {rel(path)}: {note}")

    def fail(path, note):
        nonlocal failed
        failed += 1
        print(f"FAIL  {rel(path)}: {note}")

    # 1. The schema itself.
    try:
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        missing = list(properties_without_description(schema))
        if missing:
            fail(SCHEMA, "properties without a description: " + ", ".join(missing))
        else:
            ok(SCHEMA, "valid JSON Schema 2020-12, every property described")
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        fail(SCHEMA, f"not a usable schema: {e}")
        print(f"{passed} passed, {failed} failed")
        return 1

    format_checker = getattr(Draft202012Validator, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    validator = Draft202012Validator(schema, format_checker=format_checker)

    def errors_of(document):
        return sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))

    # 2. Files that must validate.
    must_pass = sorted(EXAMPLES.glob("*/stockyard.yaml")) + sorted(
        (FIXTURES / "valid").glob("*.yaml")
    )
    if not must_pass:
        fail(ROOT, "no examples or valid fixtures found")
    for path in must_pass:
        try:
            text = path.read_text(encoding="utf-8")
            document = load_yaml(path)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            fail(path, "YAML error: " + " ".join(str(e).split()))
            continue
        if path.is_relative_to(EXAMPLES) and text.splitlines()[:1] != [EDITOR_LINE]:
            fail(path, f"first line must be `{EDITOR_LINE}`")
            continue
        errors = errors_of(document)
        if errors:
            fail(path, f"expected valid, got {len(errors)} schema error(s): " + describe(errors))
        else:
            ok(path, "valid")

    # 3. Files that must fail schema validation.
    for path in sorted((FIXTURES / "invalid").glob("*.yaml")):
        try:
            with open(path, encoding="utf-8") as f:
                first_line = f.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as e:
            fail(path, f"unreadable: {e}")
            continue
        if first_line.strip() != SCHEMA_INVALID_MARK:
            print(f"skip  {rel(path)}: not a schema error (checked by stockyard validate)")
            continue
        try:
            document = load_yaml(path)
        except yaml.YAMLError as e:
            fail(path, "marked `# schema: invalid` but is not loadable YAML: "
                 + " ".join(str(e).split()))
            continue
        errors = errors_of(document)
        if errors:
            ok(path, f"rejected as expected ({len(errors)}): " + describe(errors, limit=2))
        else:
            fail(path, "marked `# schema: invalid` but the schema accepts it")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
