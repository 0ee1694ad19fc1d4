"""Pages that structure each language's tree: home, country sections, type listings, themes.

Listings are queries over every section and locale (see ``knowledge.listings``), not tree positions.
"""

from operator import attrgetter

from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page, PagePermissionTester

from knowledge.collation import collated
from knowledge.listings import ListingScope, build_listing, latest_by_type, theme_counts

from .knowledge_pages import KNOWLEDGE_TYPES
from .taxonomy import Theme

#: Held by administrators only: no team group is given it (see ``knowledge.teams``).
SECTION_STRUCTURE_PERMISSION = "knowledge.change_section_structure"

#: A home page's lead when its editors have written none.
DEFAULT_HOME_LEAD = _(
    "Lessons learned, community-led practices and policy notes from a migration programme with "
    "twelve partner countries."
)

KNOWLEDGE_PAGE_TYPES = [model._meta.label for model in KNOWLEDGE_TYPES.values()]


class ListingPageMixin:
    """Serves a filtered, faceted, paginated listing; bad filter values answer 400 with a message."""

    def render_listing(self, request, scope, template=None, extra_context=None):
        listing = build_listing(request, scope)
        context = self.get_context(request)
        context.update({"listing": listing, **(extra_context or {})})
        status = 400 if listing.errors else 200
        return TemplateResponse(
            request, template or self.get_template(request), context, status=status
        )


class HomePage(Page):
    """Home of one language: latest items of each type, countries, themes and a search box."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "One paragraph under the portal's name on the home page, telling visitors what they "
            "can find here."
        ),
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "knowledge.CountrySectionPage",
        "knowledge.KnowledgeIndexPage",
        "knowledge.ThemeIndexPage",
    ]
    content_panels = [
        TitleFieldPanel(
            "title", help_text=_("Name of the portal in this language, shown as its heading.")
        ),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("home page")

    @property
    def lead(self):
        """The paragraph under the portal's name (its intro, or a default sentence in the home
        page's language): the page's lead and its meta description."""
        if self.intro:
            return self.intro
        with translation.override(self.locale.language_code):
            return str(DEFAULT_HOME_LEAD)

    def get_context(self, request, *args, **kwargs):
        # Imported here: knowledge.visibility reads these models.
        from knowledge.navigation import country_sections
        from knowledge.visibility import visible

        context = super().get_context(request, *args, **kwargs)
        language = self.locale.language_code
        context["latest"] = latest_by_type(language, per_type=3)
        context["sections"] = country_sections(self)
        context["themes"] = collated(
            Theme.objects.filter(locale_id=self.locale_id), language, key=attrgetter("name")
        )
        context["listing_pages"] = visible(KnowledgeIndexPage.objects.child_of(self))
        context["theme_index"] = visible(ThemeIndexPage.objects.child_of(self)).first()
        return context


class SectionPermissionTester(PagePermissionTester):
    """A team's rights on its section stop at the section's contents and introduction.

    Wagtail grants page rights on a page and everything below it, with no "children only" option,
    so a section's moderators would otherwise hold publish rights on the section page itself. Those
    rights may not delete, move, unpublish or restrict the section: that needs
    ``SECTION_STRUCTURE_PERMISSION``, and neither may cancelling its schedule. Every admin path
    (views, bulk actions, the admin API) asks this tester, which Wagtail lets a page type supply
    through ``permissions_for_user``; moving is covered too, as Wagtail's ``can_move`` asks
    ``can_delete``.
    """

    def _may_change_structure(self):
        return self.user.is_active and self.user.has_perm(SECTION_STRUCTURE_PERMISSION)

    def can_delete(self, ignore_bulk=False):
        return self._may_change_structure() and super().can_delete(ignore_bulk)

    def can_unpublish(self):
        return self._may_change_structure() and super().can_unpublish()

    def can_set_view_restrictions(self):
        return self._may_change_structure() and super().can_set_view_restrictions()

    def can_unschedule(self):
        return self._may_change_structure() and super().can_unschedule()


class CountrySectionForm(WagtailAdminPageForm):
    """The section's edit form; go-live and expiry dates are left out for users who may not change
    the section's structure (an expiry date would unpublish the whole section).

    A ``permission`` on ``PublishingPanel`` only hides the panel; unlike ``FieldPanel(permission=…)``
    it leaves the fields in the form, where a forged POST could still set them.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not for_user.has_perm(SECTION_STRUCTURE_PERMISSION):
            for name in ("go_live_at", "expire_at"):
                self.fields.pop(name, None)


class CountrySectionPage(ListingPageMixin, Page):
    """A country team's section; lists everything tagged with its country, whoever owns it.

    The section without a country is "Regional and global": it lists items about several countries
    and those placed in it.
    """

    country = models.ForeignKey(
        "knowledge.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
        help_text=_(
            "The country whose items the section lists, whoever published them. Leave empty for "
            "the Regional and global section."
        ),
    )
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "A short paragraph at the top of the section page: who the country team is and what "
            "readers will find here."
        ),
    )

    parent_page_types = ["knowledge.HomePage"]
    subpage_types = KNOWLEDGE_PAGE_TYPES

    @property
    def lead(self):
        """The paragraph under the section's name (its intro, or a sentence in its language
        that says what it lists): the page's lead and its meta description."""
        if self.intro:
            return self.intro
        with translation.override(self.locale.language_code):
            if self.country_id:
                return _(
                    "Lessons, practice briefs and policy notes about %(country)s, from the "
                    "country team and the whole programme."
                ) % {"country": self.title}
            return str(_("Knowledge that spans several countries or the whole programme."))

    # A section's title, country, slug and schedule are the portal's structure: teams hold page
    # rights on the section itself (see SectionPermissionTester), so these fields need a permission
    # only administrators hold, and only they see them.
    base_form_class = CountrySectionForm
    content_panels = [
        TitleFieldPanel(
            "title",
            help_text=_("Heading of the section page and its name in menus, e.g. the country."),
            permission=SECTION_STRUCTURE_PERMISSION,
        ),
        FieldPanel("country", permission=SECTION_STRUCTURE_PERMISSION),
        FieldPanel("intro"),
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug", permission=SECTION_STRUCTURE_PERMISSION),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
            ],
            _("For search engines"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], _("For site menus")),
    ]
    settings_panels = [PublishingPanel(permission=SECTION_STRUCTURE_PERMISSION)]

    class Meta:
        verbose_name = _("country section")
        permissions = [
            (
                "change_section_structure",
                _(
                    "Can rename, schedule, restrict, move, unpublish or delete a country section "
                    "and change its country"
                ),
            ),
        ]

    def permissions_for_user(self, user):
        return SectionPermissionTester(user, self)

    def listing_scope(self):
        if self.country_id:
            return ListingScope(country_code=self.country.code)
        return ListingScope(regional=True)

    def serve(self, request, *args, **kwargs):
        return self.render_listing(request, self.listing_scope())

    def serve_preview(self, request, mode_name):
        """Preview the page with its listing, as readers will see it."""
        return self.serve(request)


class KnowledgeIndexPage(ListingPageMixin, Page):
    """Listing of one knowledge type across every section and language, e.g. /lessons/."""

    knowledge_type = models.CharField(
        _("knowledge type"),
        max_length=30,
        choices=[(key, model._meta.verbose_name_plural) for key, model in KNOWLEDGE_TYPES.items()],
        help_text=_("The type of item the page lists, from every section and language."),
    )
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A short paragraph above the listing, telling readers what this type is."),
    )

    parent_page_types = ["knowledge.HomePage"]
    subpage_types = []
    content_panels = [
        TitleFieldPanel("title", help_text=_("Heading of the listing and its name in menus.")),
        FieldPanel("knowledge_type"),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("knowledge listing")

    def listing_scope(self):
        return ListingScope(knowledge_type=self.knowledge_type)

    def serve(self, request, *args, **kwargs):
        return self.render_listing(request, self.listing_scope())

    def serve_preview(self, request, mode_name):
        """Preview the page with its listing, as readers will see it."""
        return self.serve(request)


class ThemeIndexPage(ListingPageMixin, RoutablePageMixin, Page):
    """The themes of the programme (/themes/) and one listing per theme (/themes/<slug>/)."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A short paragraph above the list of themes."),
    )

    parent_page_types = ["knowledge.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = [
        TitleFieldPanel("title", help_text=_("Heading of the themes page and its name in menus.")),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("theme index")

    @classmethod
    def theme_path(cls, theme_index_url, slug):
        """URL of one theme's listing under a theme index's URL (its ``theme_detail`` route)."""
        return theme_index_url + cls.get_resolver().reverse("theme_detail", theme_slug=slug).lstrip(
            "/"
        )

    @path("")
    def theme_list(self, request):
        context = self.get_context(request)
        context["themes"] = theme_counts(self.locale)
        return TemplateResponse(request, "knowledge/theme_index_page.html", context)

    @path("<str:theme_slug>/", name="theme_detail")
    def theme_detail(self, request, theme_slug):
        theme = get_object_or_404(Theme, slug=theme_slug, locale_id=self.locale_id)
        return self.render_listing(
            request,
            ListingScope(theme_slug=theme.slug),
            template="knowledge/theme_page.html",
            extra_context={"theme": theme},
        )
