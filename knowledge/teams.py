"""Country teams: their groups, what each group may do, and the "Country review" workflows.

Every rule is one of Wagtail's own mechanisms, so the admin enforces it everywhere:

- page-tree permissions (``GroupPagePermission``) on a team's section in every locale scope its
  editors and moderators; programme reviewers hold them on every section;
- collection permissions (``GroupCollectionPermission``) give each team a document and image
  collection of its own;
- model permissions let taxonomy managers edit the country and theme snippets, and require
  two-factor login of moderators and programme reviewers (wagtail-2fa's "Enable 2FA");
- one workflow per section, "Country review: <team>", whose group approval task is open to the
  section's moderators and the programme reviewers. Wagtail's group approval task has one fixed set
  of groups, so a single workflow for every section would let Mali's moderators approve Niger's
  items; one workflow per section keeps review inside the team without custom checks.

Everything here is idempotent: it adds what is missing and leaves what exists alone (extra
permissions granted by hand, a team workflow an administrator changed, a section given another
workflow). Wagtail's default "Editors" and "Moderators" groups, which hold rights on the whole
tree, are deleted while they have no members.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.permission_policies.pages import PagePermissionPolicy

from knowledge.models import CountrySectionPage, country_name

REGIONAL_TEAM = "Regional and global"
PROGRAMME_REVIEWERS = "Programme reviewers"
TAXONOMY_MANAGERS = "Taxonomy managers"
WORKFLOW_PREFIX = "Country review"

#: Page-tree permissions (Wagtail's codenames) per role, granted on sections.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = (*EDITOR_PAGE_PERMISSIONS, "publish_page", "lock_page", "unlock_page")
REVIEWER_PAGE_PERMISSIONS = ("change_page", "publish_page", "lock_page", "unlock_page")

#: Collection permissions ("app_label.codename") of a team on its own collection.
TEAM_MEDIA_PERMISSIONS = (
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
)
#: Programme reviewers see and choose every team's media while reviewing.
REVIEWER_MEDIA_PERMISSIONS = ("wagtaildocs.choose_document", "wagtailimages.choose_image")

#: Model permissions of taxonomy managers on the taxonomy snippets.
TAXONOMY_PERMISSIONS = tuple(
    f"knowledge.{action}_{model}"
    for model in ("country", "theme")
    for action in ("add", "change", "delete")
)

ADMIN_ACCESS = "wagtailadmin.access_admin"
#: Requires two-factor login of the group's members (wagtail-2fa's permission): moderators and
#: programme reviewers publish, so a stolen password alone must not let anyone in as them.
TWO_FACTOR = "wagtailadmin.enable_2fa"
#: Lets a team copy an item into another language of its section (Wagtail's "Translate" action).
TRANSLATE = "simple_translation.submit_translation"

#: Groups Wagtail's migrations create with rights on the whole tree; the teams replace them.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


@dataclass(frozen=True)
class Team:
    """A country team (or the regional team): its English name and its section in every locale."""

    name: str
    sections: tuple

    @property
    def editors(self):
        return f"{self.name} editors"

    @property
    def moderators(self):
        return f"{self.name} moderators"

    @property
    def workflow(self):
        return f"{WORKFLOW_PREFIX}: {self.name}"


def teams():
    """One ``Team`` per section of the default locale, in tree order (``setup_portal`` makes them)."""
    default_sections = (
        CountrySectionPage.objects.filter(locale=Locale.get_default())
        .select_related("country")
        .order_by("path")
    )
    return [
        Team(_team_name(section), tuple(section.get_translations(inclusive=True).specific()))
        for section in default_sections
    ]


def own_sections(user):
    """The country sections, in every language, where ``user`` may add pages (their team's), in
    the order of ``settings.LANGUAGES``: ``[CountrySectionPage]``, empty for a user of no team."""
    order = [code for code, _name in settings.LANGUAGES]
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    sections = CountrySectionPage.objects.filter(pk__in=pages.values("pk")).select_related("locale")
    return sorted(sections, key=lambda section: order.index(section.locale.language_code))


def section_moderators(page):
    """The active members of the moderators group of the team whose section holds ``page`` (a
    page in any locale): a user queryset, empty for a page in no section."""
    section = CountrySectionPage.objects.ancestor_of(page, inclusive=True).first()
    if section is None:
        return get_user_model().objects.none()
    group = Team(_team_name(section.specific), ()).moderators
    return get_user_model().objects.filter(is_active=True, groups__name=group)


def _team_name(section):
    return country_name(section.country.code, "en") if section.country_id else REGIONAL_TEAM


class NoSections(Exception):
    """``set_up_teams`` found no country section to build teams on."""


def set_up_teams():
    """Create the groups, permissions, collections and workflows; returns the list of ``Team``.

    Raises ``NoSections`` before changing anything when ``setup_portal`` has not made the sections.
    """
    with transaction.atomic():
        all_teams = teams()
        if not all_teams:
            raise NoSections(
                "There are no country sections yet: run 'manage.py setup_portal' first."
            )
        reviewers = _group(PROGRAMME_REVIEWERS, ADMIN_ACCESS, TWO_FACTOR)
        _grant_media(reviewers, Collection.get_first_root_node(), REVIEWER_MEDIA_PERMISSIONS)
        _group(TAXONOMY_MANAGERS, ADMIN_ACCESS, *TAXONOMY_PERMISSIONS)
        for team in all_teams:
            _set_up_team(team, reviewers)
        _retire_wagtail_default_groups()
        return all_teams


def _retire_wagtail_default_groups():
    """Delete Wagtail's default groups while nobody is in them: someone added to one by mistake
    could edit every section in every language."""
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


def _set_up_team(team, reviewers):
    editors = _group(team.editors, ADMIN_ACCESS, TRANSLATE)
    moderators = _group(team.moderators, ADMIN_ACCESS, TRANSLATE, TWO_FACTOR)
    collection = _team_collection(team.name)
    for section in team.sections:
        _grant_pages(editors, section, EDITOR_PAGE_PERMISSIONS)
        _grant_pages(moderators, section, MODERATOR_PAGE_PERMISSIONS)
        _grant_pages(reviewers, section, REVIEWER_PAGE_PERMISSIONS)
    for group in (editors, moderators):
        _grant_media(group, collection, TEAM_MEDIA_PERMISSIONS)
    _set_up_workflow(team, approvers=(moderators, reviewers))


def _group(name, *permissions):
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(*(_permission(dotted) for dotted in permissions))
    return group


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission(f"wagtailcore.{codename}")
        )


def _grant_media(group, collection, permissions):
    for dotted in permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(dotted)
        )


def _team_collection(name):
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _set_up_workflow(team, approvers):
    """The team's workflow, made with its one approval task when missing (an existing workflow is
    left as an administrator may have changed it), on every section that has none."""
    workflow = Workflow.objects.filter(name=team.workflow).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=team.workflow)
        task = GroupApprovalTask.objects.create(name=team.workflow)
        task.groups.add(*approvers)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for section in team.sections:
        WorkflowPage.objects.get_or_create(page=section, defaults={"workflow": workflow})
