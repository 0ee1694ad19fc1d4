"""The API's views: thin readers of ``api.params`` and ``api.selectors``.

Every view is anonymous (no authentication, so a logged-in editor sees what everyone sees), JSON
only, limited by ``api.throttling.ApiRateThrottle`` and answers errors through
``api.errors.exception_handler``.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from knowledge.models import Country, Theme
from knowledge.models.knowledge_pages import KNOWLEDGE_TYPES
from knowledge.visibility import public_knowledge_pages, translations_of, with_item_relations
from portal.addresses import absolute

from . import serializers
from .errors import exception_handler, keep_api_urlconf
from .params import (
    ItemFieldsForm,
    ItemListForm,
    LanguageForm,
    read_item_query,
    read_params,
    refuse_unknown,
)
from .schema import FormParametersSchema
from .selectors import item_page
from .throttling import ApiRateThrottle

#: Largest id the databases store; a larger one in the address can only be a 404.
MAX_ID = 2**63 - 1

_ERRORS = {
    400: serializers.ErrorSerializer,
    404: serializers.ErrorSerializer,
    429: serializers.ErrorSerializer,
}


class ApiMixin:
    """What every API view does: anonymous, read-only, rate-limited, one error body."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiRateThrottle]
    schema = FormParametersSchema()
    #: The form validating and describing the view's query parameters (``api.params``).
    parameters_form = None

    def initial(self, request, *args, **kwargs):
        keep_api_urlconf(request._request)
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return exception_handler


class ApiView(ApiMixin, APIView):
    """Base of the API's JSON views."""

    renderer_classes = [JSONRenderer]


def _absolute(request, name, query="", **kwargs):
    url = absolute(reverse(f"api:{name}", kwargs=kwargs or None), request)
    return f"{url}?{query}" if query else url


class ApiRootView(ApiView):
    """``/api/v1/``: where everything is."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, 400: serializers.ErrorSerializer},
        summary="Links to the endpoints",
    )
    def get(self, request):
        refuse_unknown(request.query_params, set())
        return Response(
            {
                name: _absolute(request, name)
                for name in ("items", "lessons", "countries", "themes", "types", "schema")
            }
        )


class ItemListView(ApiView):
    """``/api/v1/items/?country=ML&theme=protection&sort=-publication_date&page=2``.

    Filters as on the site's listings (values of one parameter ORed, parameters ANDed), a date
    range, free text through the search service, sorting, paging and field selection. Errors: 400
    ``bad_parameter`` naming the parameter; 404 ``not_found`` with ``parameter: page`` past the
    last page.
    """

    parameters_form = ItemListForm

    @extend_schema(
        responses={200: serializers.ItemListSerializer, **_ERRORS},
        summary="Published knowledge items",
        operation_id="items_list",
    )
    def get(self, request):
        item_query = read_item_query(request.query_params)
        page = item_page(item_query)
        context = {"request": request, "fields": item_query.fields}
        context["found_by_meaning"] = page.by_meaning
        if "translations" in item_query.fields:
            context["translations"] = translations_of(page.items)
        results = serializers.ItemSerializer(page.items, many=True, context=context).data
        return Response(
            {
                "count": page.total,
                "page": page.number,
                "pages": page.pages,
                "page_size": page.size,
                "next": page_link(request, page.number + 1) if page.number < page.pages else None,
                "previous": page_link(request, page.number - 1) if page.number > 1 else None,
                "results": results,
            }
        )


def page_link(request, number):
    params = request.query_params.copy()
    params["page"] = str(number)
    return absolute(f"{request.path}?{params.urlencode()}", request)


class ItemDetailView(ApiView):
    """``/api/v1/items/<id>/``: one published item; 404 ``not_found`` for any other id."""

    parameters_form = ItemFieldsForm

    @extend_schema(
        responses={200: serializers.ItemSerializer, **_ERRORS},
        summary="One published knowledge item",
        operation_id="items_retrieve",
    )
    def get(self, request, pk):
        fields = read_params(ItemFieldsForm, request.query_params).cleaned_data["fields"]
        item = None
        if pk <= MAX_ID:
            queryset = with_item_relations(public_knowledge_pages().filter(pk=pk), relations=fields)
            item = queryset.first()
        if item is None:
            raise NotFound(_("No published item has this id."))
        context = {"request": request, "fields": fields}
        if "translations" in fields:
            context["translations"] = translations_of([item])
        return Response(serializers.ItemSerializer(item, context=context).data)


class CountryListView(ApiView):
    """``/api/v1/countries/?language=fr``: the partner countries, named in that language."""

    parameters_form = LanguageForm

    @extend_schema(
        responses={200: serializers.CountryListSerializer, **_ERRORS},
        summary="Countries",
    )
    def get(self, request):
        language = read_params(LanguageForm, request.query_params).cleaned_data["language"]
        countries = Country.objects.filter(locale__language_code=language).order_by("name")
        results = [
            {
                "code": country.code,
                "name": str(country),
                "items": _absolute(request, "items", f"country={country.code}"),
            }
            for country in countries
        ]
        return Response({"language": language, "results": results})


class ThemeListView(ApiView):
    """``/api/v1/themes/?language=ar``: the programme's themes, named in that language."""

    parameters_form = LanguageForm

    @extend_schema(
        responses={200: serializers.ThemeListSerializer, **_ERRORS},
        summary="Themes",
    )
    def get(self, request):
        language = read_params(LanguageForm, request.query_params).cleaned_data["language"]
        themes = Theme.objects.filter(locale__language_code=language).order_by("name")
        results = [
            {
                "slug": theme.slug,
                "name": theme.name,
                "description": theme.description,
                "items": _absolute(request, "items", f"theme={theme.slug}"),
            }
            for theme in themes
        ]
        return Response({"language": language, "results": results})


class TypeListView(ApiView):
    """``/api/v1/types/?language=es``: the three item types, named in that language."""

    parameters_form = LanguageForm

    @extend_schema(
        responses={200: serializers.TypeListSerializer, **_ERRORS},
        summary="Item types",
    )
    def get(self, request):
        language = read_params(LanguageForm, request.query_params).cleaned_data["language"]
        with translation.override(language):
            results = [
                {
                    "key": key,
                    "name": str(model._meta.verbose_name),
                    "name_plural": str(model._meta.verbose_name_plural),
                    "items": _absolute(request, "items", f"type={key}"),
                }
                for key, model in KNOWLEDGE_TYPES.items()
            ]
        return Response({"language": language, "results": results})


class SchemaView(ApiMixin, SpectacularAPIView):
    """``/api/v1/schema/``: the OpenAPI 3 schema of the API (``?format=yaml`` for YAML)."""
