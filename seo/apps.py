from django.apps import AppConfig


class SeoConfig(AppConfig):
    """Sitemap, robots.txt, canonical and hreflang links, Open Graph and Twitter cards, schema.org JSON-LD."""

    name = "seo"
    default_auto_field = "django.db.models.BigAutoField"
