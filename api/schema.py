"""The OpenAPI description of an endpoint's query parameters, read from the form that validates
them (``api.params``), so the two never disagree."""

from django import forms
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter


class FormParametersSchema(AutoSchema):
    """drf-spectacular's schema of a view, its query parameters read from the view's
    ``parameters_form`` (``form_parameters``)."""

    def get_override_parameters(self):
        form_class = getattr(self.view, "parameters_form", None)
        own = form_parameters(form_class) if form_class else []
        return [*own, *super().get_override_parameters()]


def form_parameters(form_class):
    """``[OpenApiParameter]`` of ``form_class``'s fields, in their order: each field's
    ``help_text`` is the description, its value shape the JSON Schema (a field's own ``schema``
    when it has one). Repeatable fields are exploded arrays (``?country=ML&country=NE``)."""
    return [
        OpenApiParameter(
            name,
            _schema(field),
            description=str(field.help_text),
            explode=getattr(field, "explode", True),
        )
        for name, field in form_class.base_fields.items()
    ]


def _schema(field):
    if hasattr(field, "schema"):
        return field.schema
    if hasattr(field, "item_schema"):
        return {"type": "array", "items": field.item_schema}
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": {"type": "string", "enum": _values(field)}}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": _values(field)}
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.CharField):
        return {"type": "string", "minLength": 1, "maxLength": field.max_length}
    raise TypeError(f"no JSON Schema for {type(field).__name__}")


def _values(field):
    return [value for value, _label in field.choices]
