"""Parse and validate one line of a knowledge import file (format: docs/import-format.md).

``parse_line`` turns a JSON object into an ``ItemSpec`` or raises ``ImportLineError`` naming the
first problem found, so the command can report it with the line number.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from html import escape

from django.conf import settings
from wagtail.blocks import CharBlock
from wagtail.fields import RichTextField, StreamField

from knowledge.blocks import AUDIENCES, PolicyRecommendationBlock, StatementBlock
from knowledge.models import KNOWLEDGE_TYPES, KnowledgeAttachment, KnowledgePage
from knowledge.vocabulary import PARTNER_COUNTRIES, THEMES

EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
AUDIENCE_KEYS = {key for key, _label in AUDIENCES}
MAX_TAG_LENGTH = 100  # django-taggit's TagBase.name


class ImportLineError(ValueError):
    """A line that cannot be imported; the message says why."""


def _text(value, name):
    if not isinstance(value, str):
        raise ImportLineError(f"'{name}' must be a string")
    return value.strip()


def _required_text(value, name):
    text = _text(value, name)
    if not text:
        raise ImportLineError(f"'{name}' must not be empty")
    return text


def _within(text, name, limit):
    """``text``, or ``ImportLineError`` naming the field and its ``limit`` when it is longer (the
    admin would refuse it, and PostgreSQL too without naming the field)."""
    if limit is not None and len(text) > limit:
        raise ImportLineError(f"'{name}' may have at most {limit} characters (it has {len(text)})")
    return text


def _at_most(parse, limit):
    """``parse`` refusing text longer than ``limit`` (see ``_within``)."""
    return lambda value, name: _within(parse(value, name), name, limit)


def _limit(model, name):
    """The ``max_length`` of the model field ``name`` of ``model``."""
    return model._meta.get_field(name).max_length


def _block_limit(block):
    """The ``max_length`` of a ``CharBlock`` (its form field holds it)."""
    return block.field.max_length


def _rich_text(value, name):
    """Plain text with blank-line separated paragraphs -> '<p>...</p>' HTML, escaped."""
    paragraphs = [" ".join(p.split()) for p in _text(value, name).split("\n\n")]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)


def _date(value, name):
    try:
        return datetime.date.fromisoformat(_required_text(value, name))
    except ValueError as error:
        raise ImportLineError(
            f"'{name}' must be a date written YYYY-MM-DD, not {value!r}"
        ) from error


def _list(value, name, required=False):
    if not isinstance(value, list):
        raise ImportLineError(f"'{name}' must be a list")
    if required and not value:
        raise ImportLineError(f"'{name}' must list at least one entry")
    return value


def _strings(value, name, required=False, limit=None):
    return [
        _within(_required_text(item, f"{name}[{i}]"), f"{name}[{i}]", limit)
        for i, item in enumerate(_list(value, name, required))
    ]


def _statements(value, name, required, block):
    """``StatementBlock`` values of a list of ``{"statement", "explanation"}`` objects."""
    limit = _block_limit(block.child_blocks["statement"])
    blocks = []
    for i, item in enumerate(_list(value, name, required)):
        if not isinstance(item, dict) or set(item) - {"statement", "explanation"}:
            raise ImportLineError(
                f"'{name}[{i}]' must be an object with 'statement' and 'explanation'"
            )
        blocks.append(
            {
                "statement": _within(
                    _required_text(item.get("statement"), f"{name}[{i}].statement"),
                    f"{name}[{i}].statement",
                    limit,
                ),
                "explanation": _rich_text(item.get("explanation", ""), f"{name}[{i}].explanation"),
            }
        )
    return blocks


def _policy_recommendations(value, name, required, block):
    """``PolicyRecommendationBlock`` values of a list of ``{"statement", "audience"}`` objects."""
    limit = _block_limit(block.child_blocks["statement"])
    blocks = []
    for i, item in enumerate(_list(value, name, required)):
        if not isinstance(item, dict) or set(item) - {"statement", "audience"}:
            raise ImportLineError(
                f"'{name}[{i}]' must be an object with 'statement' and 'audience'"
            )
        audience = item.get("audience")
        if not isinstance(audience, str) or audience not in AUDIENCE_KEYS:
            raise ImportLineError(
                f"'{name}[{i}].audience' must be one of {', '.join(sorted(AUDIENCE_KEYS))}, not {audience!r}"
            )
        statement = _within(
            _required_text(item.get("statement"), f"{name}[{i}].statement"),
            f"{name}[{i}].statement",
            limit,
        )
        blocks.append({"statement": statement, "audience": audience})
    return blocks


def _tags(value, name):
    return _strings(value, name, limit=MAX_TAG_LENGTH)


def _countries(value, name):
    codes = [code.upper() for code in _strings(value, name, required=True)]
    unknown = [code for code in codes if code not in PARTNER_COUNTRIES]
    if unknown:
        raise ImportLineError(f"unknown partner country code(s) in '{name}': {', '.join(unknown)}")
    return list(dict.fromkeys(codes))


def _themes(value, name):
    slugs = _strings(value, name, required=True)
    unknown = [slug for slug in slugs if slug not in THEMES]
    if unknown:
        raise ImportLineError(f"unknown theme(s) in '{name}': {', '.join(unknown)}")
    return list(dict.fromkeys(slugs))


def _attachments(value, name):
    attachments = []
    for i, item in enumerate(_list(value, name)):
        if not isinstance(item, dict) or "file" not in item or set(item) - {"file", "title"}:
            raise ImportLineError(
                f"'{name}[{i}]' must be an object with 'file' and an optional 'title'"
            )
        file_name = _required_text(item["file"], f"{name}[{i}].file")
        if "/" in file_name or "\\" in file_name or file_name.startswith("."):
            raise ImportLineError(
                f"'{name}[{i}].file' must be a plain file name, not {file_name!r}"
            )
        title = _within(
            _text(item.get("title", ""), f"{name}[{i}].title"),
            f"{name}[{i}].title",
            _limit(KnowledgeAttachment, "title"),
        )
        attachments.append({"file": file_name, "title": title})
    return attachments


def _char_blocks(value, name, required, block):
    """Values of a StreamField of ``CharBlock``s: a list of strings within the block's limit."""
    return _strings(value, name, required, limit=_block_limit(block))


#: How a text section is read from its model field: a StreamField by the block it holds. Parsers
#: take (value, field name, required, block).
_STREAM_PARSERS = {
    StatementBlock: _statements,
    PolicyRecommendationBlock: _policy_recommendations,
    CharBlock: _char_blocks,
}


def stream_block_name(model, name):
    """The one block type of the StreamField ``name`` of ``model``, e.g. ``"lesson"``."""
    return next(iter(model._meta.get_field(name).stream_block.child_blocks))


def _stream_parser(model, name):
    """The parser of the StreamField ``name`` of ``model``, by the one block type it holds; a
    field with ``min_num`` needs at least one entry."""
    field = model._meta.get_field(name)
    required = bool(field.stream_block.meta.min_num)
    block = field.stream_block.child_blocks[stream_block_name(model, name)]
    parse = _STREAM_PARSERS[type(block)]
    return lambda value, field_name: parse(value, field_name, required, block)


# Field name -> (parser, required). Parsers take (value, field name).
COMMON_FIELDS = {
    "external_id": (_required_text, True),
    "type": (_required_text, True),
    "language": (_required_text, True),
    "title": (_at_most(_required_text, _limit(KnowledgePage, "title")), True),
    "summary": (_at_most(_required_text, _limit(KnowledgePage, "summary")), True),
    "publication_date": (_date, True),
    "countries": (_countries, True),
    "themes": (_themes, True),
    "translation_of": (_required_text, False),
    "slug": (_at_most(_required_text, _limit(KnowledgePage, "slug")), False),
    "owner_country": (lambda v, n: _countries([v], n)[0], False),
    "tags": (_tags, False),
    # Required: an imported item is published, and publishing needs its publisher (citations).
    "organisation": (_at_most(_required_text, _limit(KnowledgePage, "organisation")), True),
    "authors": (_stream_parser(KnowledgePage, "authors"), False),
    "attachments": (_attachments, False),
    "body": (_rich_text, False),
}


def _section_parser(model, name):
    """``(parser, required)`` of the text section ``name`` of ``model``, read from its field."""
    field = model._meta.get_field(name)
    if isinstance(field, StreamField):
        return _stream_parser(model, name), bool(field.stream_block.meta.min_num)
    if isinstance(field, RichTextField):
        return _rich_text, not field.blank
    parse = _text if field.blank else _required_text
    return _at_most(parse, field.max_length), not field.blank


def _type_fields(model):
    """Field name -> (parser, required) of a type's own fields: its text sections
    (``text_sections``, the one declaration of them), then its other fields."""
    fields = {
        name: _section_parser(model, name)
        for name in model.text_sections
        if name not in KnowledgePage.text_sections
    }
    return fields | OTHER_TYPE_FIELDS.get(model.knowledge_type, {})


#: The fields of a type that are not text sections.
OTHER_TYPE_FIELDS = {
    "lessons_report": {"period_start": (_date, False), "period_end": (_date, False)},
}
TYPE_FIELDS = {key: _type_fields(model) for key, model in KNOWLEDGE_TYPES.items()}


@dataclass
class ItemSpec:
    """A validated line: common fields, the type's own fields and a checksum of the whole line."""

    external_id: str
    knowledge_type: str
    language: str
    common: dict
    sections: dict
    checksum: str


def _parse_fields(data, spec):
    values = {}
    for name, (parser, required) in spec.items():
        if name in data and data[name] is not None:
            values[name] = parser(data[name], name)
        elif required:
            raise ImportLineError(f"missing required field '{name}'")
    return values


def parse_line(raw):
    """Validate one JSON line; returns an ``ItemSpec``; raises ``ImportLineError``.

    A JSON error names the column of the line where ``json`` found it (``JSONDecodeError.colno``).
    """
    try:
        # Without its line ending, a line cut short fails at its own end, not at column 1 of a
        # second line that the ending would start.
        data = json.loads(raw.rstrip("\r\n"))
    except json.JSONDecodeError as error:
        reason = error.msg.removesuffix(" at")  # "Invalid control character at"
        raise ImportLineError(f"not valid JSON: {reason} at column {error.colno}") from error
    except RecursionError as error:
        raise ImportLineError("not valid JSON: nested too deeply") from error
    except ValueError as error:  # e.g. an integer longer than Python's 4,300-digit limit
        raise ImportLineError(f"not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise ImportLineError("a line must be a JSON object")
    knowledge_type = data.get("type")
    if not isinstance(knowledge_type, str) or knowledge_type not in KNOWLEDGE_TYPES:
        raise ImportLineError(
            f"'type' must be one of {', '.join(KNOWLEDGE_TYPES)}, not {knowledge_type!r}"
        )
    type_fields = TYPE_FIELDS[knowledge_type]
    unknown = sorted(set(data) - set(COMMON_FIELDS) - set(type_fields))
    if unknown:
        raise ImportLineError(f"unknown field(s) for a {knowledge_type}: {', '.join(unknown)}")
    common = _parse_fields(data, COMMON_FIELDS)
    sections = _parse_fields(data, type_fields)
    if not EXTERNAL_ID.match(common["external_id"]):
        raise ImportLineError(
            "'external_id' may only hold letters, digits, '.', '_' and '-' (at most 100)"
        )
    if common["language"] not in LANGUAGES:
        raise ImportLineError(
            f"'language' must be one of {', '.join(LANGUAGES)}, not {common['language']!r}"
        )
    owner = common.get("owner_country")
    if owner and owner not in common["countries"]:
        raise ImportLineError(f"'owner_country' {owner} is not one of the item's countries")
    start, end = sections.get("period_start"), sections.get("period_end")
    if start and end and end < start:
        raise ImportLineError("'period_end' is before 'period_start'")
    checksum = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return ItemSpec(
        external_id=common["external_id"],
        knowledge_type=knowledge_type,
        language=common["language"],
        common=common,
        sections=sections,
        checksum=checksum,
    )
