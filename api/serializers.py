"""The JSON shapes of the API; drf-spectacular builds the OpenAPI schema from these classes.

An item::

    {"id": 42, "title": "...", "url": "https://.../en/mali/...", "type": "policy_note",
     "language": "en", "summary": "...", "publication_date": "2024-05-01",
     "countries": [{"code": "ML", "name": "Mali"}], "themes": [{"slug": "protection", "name": "..."}],
     "objectives": [{"number": 7, "title": "Address and reduce vulnerabilities in migration"}],
     "tags": [{"slug": "border", "name": "border"}], "organisation": "...", "authors": ["..."],
     "attachments": [{"title": "Full report", "url": "https://.../documents/3/report.pdf",
                      "size": 2057, "type": "application/pdf"}],
     "translations": [{"language": "fr", "url": "https://.../fr/mali/..."}],
     "last_published_at": "2024-05-02T09:00:00Z"}

``?fields=`` keeps only the fields named, so no field is marked required in the schema.
Serialisers read relations the views prefetched and the ``translations`` map in their context;
they run no query of their own but the vocabulary's (the objectives' titles: five queries when
a process reads them, then a check of the cache at most once a second).
"""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES
from knowledge.objectives import objective_label, objective_titles
from portal.addresses import absolute, page_address

from .params import ITEM_FIELDS, LANGUAGE_CODES

#: The item types' keys (one enum in the schema, ``KnowledgeTypeEnum``).
KNOWLEDGE_TYPE_CHOICES = list(KNOWLEDGE_TYPES)


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2 code, e.g. ML.")
    name = serializers.CharField(help_text="Name in the item's language.")


class ThemeRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Same in every language, e.g. protection.")
    name = serializers.CharField(help_text="Name in the item's language.")


class ObjectiveRefSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1-23, as in the Global Compact (A/RES/73/195).")
    title = serializers.CharField(help_text="In the request's language when the vocabulary has it.")


class TagSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The value of the ``tag`` filter.")
    name = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="Link text, or the document's title.")
    url = serializers.URLField(help_text="Absolute download address.")
    size = serializers.IntegerField(allow_null=True, help_text="Size in bytes, when known.")
    type = serializers.CharField(help_text="MIME type, e.g. application/pdf.")


class TranslationSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=LANGUAGE_CODES)
    url = serializers.URLField()


class ItemSerializer(serializers.Serializer):
    """A published knowledge item, or the ``fields`` of it asked for (context ``fields``)."""

    id = serializers.IntegerField(required=False, help_text="Stable id; /api/v1/items/<id>/.")
    title = serializers.CharField(required=False)
    url = serializers.SerializerMethodField(help_text="Absolute address of the page.")
    type = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    summary = serializers.CharField(required=False)
    publication_date = serializers.DateField(required=False)
    countries = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    objectives = serializers.SerializerMethodField(
        help_text="The objectives of the Global Compact for Migration the item serves, through "
        "its themes and keywords."
    )
    tags = serializers.SerializerMethodField()
    organisation = serializers.CharField(required=False, help_text="Publishing organisation.")
    authors = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField(
        help_text="The other published language versions of the item."
    )
    last_published_at = serializers.DateTimeField(required=False, allow_null=True)
    found_by_meaning = serializers.SerializerMethodField(
        help_text=(
            "True when the item was found by the meaning of q alone, perhaps in another "
            "language: it holds none of q's words."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = self.context.get("fields", ITEM_FIELDS)
        for name in set(self.fields) - set(wanted):
            self.fields.pop(name)

    def _request(self):
        return self.context["request"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, page):
        return page_address(page, self._request())

    @extend_schema_field(serializers.ChoiceField(choices=KNOWLEDGE_TYPE_CHOICES))
    def get_type(self, page):
        return page.specific_class.knowledge_type

    @extend_schema_field(serializers.ChoiceField(choices=LANGUAGE_CODES))
    def get_language(self, page):
        return page.locale.language_code

    @extend_schema_field(CountryRefSerializer(many=True))
    def get_countries(self, page):
        return [{"code": c.code, "name": c.name or c.code} for c in page.countries.all()]

    @extend_schema_field(ThemeRefSerializer(many=True))
    def get_themes(self, page):
        return [{"slug": theme.slug, "name": theme.name} for theme in page.themes.all()]

    @extend_schema_field(ObjectiveRefSerializer(many=True))
    def get_objectives(self, page):
        if not hasattr(self, "_objective_titles"):  # one list's items share one serializer
            self._objective_titles = objective_titles(get_language())
        return [
            {
                "number": link.number,
                "title": objective_label(self._objective_titles, link.number)[0],
            }
            for link in page.objective_links.all()
        ]

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, page):
        tags = sorted(page.tags.all(), key=lambda tag: tag.name.lower())
        return [{"slug": tag.slug, "name": tag.name} for tag in tags]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_authors(self, page):
        return [str(block.value) for block in page.authors]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, page):
        request = self._request()
        return [
            {
                "title": attachment.label,
                "url": absolute(attachment.document.url, request),
                "size": attachment.document.file_size,
                "type": attachment.document.content_type,
            }
            for attachment in page.attachments.all()
        ]

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, page):
        versions = self.context.get("translations", {}).get(page.translation_key, [])
        request = self._request()
        return [
            {"language": version.locale.language_code, "url": page_address(version, request)}
            for version in versions
            if version.pk != page.pk
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_found_by_meaning(self, page):
        return page.pk in self.context.get("found_by_meaning", ())


class ItemListSerializer(serializers.Serializer):
    """A page of items with its paging links."""

    count = serializers.IntegerField(help_text="Items matching the query, on every page.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null.")
    results = ItemSerializer(many=True)


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    items = serializers.URLField(help_text="The items tagged with this country.")


class ThemeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    items = serializers.URLField(help_text="The items tagged with this theme.")


class TypeSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=KNOWLEDGE_TYPE_CHOICES)
    name = serializers.CharField()
    name_plural = serializers.CharField()
    items = serializers.URLField(help_text="The items of this type.")


def taxonomy_list_serializer(name, child):
    """``{"language": "fr", "results": [child, ...]}``, named ``name`` in the schema."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "language": serializers.ChoiceField(choices=LANGUAGE_CODES),
            "results": child(many=True),
            "__doc__": f"The {name.removesuffix('ListSerializer').lower()} in one language.",
        },
    )


CountryListSerializer = taxonomy_list_serializer("CountryListSerializer", CountrySerializer)
ThemeListSerializer = taxonomy_list_serializer("ThemeListSerializer", ThemeSerializer)
TypeListSerializer = taxonomy_list_serializer("TypeListSerializer", TypeSerializer)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="bad_parameter, not_found, rate_limited, ...")
    message = serializers.CharField(help_text="A sentence for people.")
    parameter = serializers.CharField(
        required=False, help_text="The query parameter at fault, when there is one."
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="Seconds to wait (rate_limited only)."
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    error = ErrorDetailSerializer()
