"""Template tags for a listing's filters: which are selected, for the disclosure's count and the chips."""

from django import template

register = template.Library()


@register.filter
def selected_buckets(facets):
    """The selected values of ``facets`` (``{dimension: [FacetBucket]}``) as ``[(dimension, bucket)]``,
    in the facets' order; each bucket's ``url`` removes it from the filters."""
    return [
        (dimension, bucket)
        for dimension, buckets in facets.items()
        for bucket in buckets
        if bucket.selected
    ]
