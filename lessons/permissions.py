"""Who may see and change which lessons and actions in the admin: Wagtail's page permissions on
their items. Whoever may edit an item (its section's editors and moderators, the programme
reviewers) follows its lessons and their actions; nobody else sees them."""

from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from knowledge.models import KnowledgePage
from lessons.models import Action, Lesson


def editable_items(user):
    """Translation keys (a values queryset) of the items ``user`` may edit."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return KnowledgePage.objects.filter(pk__in=pages.values("pk")).values("translation_key")


def editable_lessons(user):
    """The current lessons of the items ``user`` may edit, newest records first."""
    return Lesson.objects.filter(
        withdrawn_at__isnull=True, item_key__in=editable_items(user)
    ).order_by("-pk")


def editable_actions(user):
    """The actions of the lessons ``user`` may follow (withdrawn lessons included: their
    actions are still owed)."""
    return Action.objects.filter(lesson__item_key__in=editable_items(user))


class ActionPermissionPolicy(BasePermissionPolicy):
    """Wagtail permission policy of actions: a user may add, change, delete and view the actions
    of the items they may edit (``editable_actions``), and nothing else."""

    def __init__(self):
        super().__init__(Action)

    def user_has_permission(self, user, action):
        return user.is_active and (user.is_superuser or editable_items(user).exists())

    def user_has_permission_for_instance(self, user, action, instance):
        return user.is_active and editable_actions(user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        return editable_actions(user) if user.is_active else Action.objects.none()

    def users_with_any_permission(self, actions):
        raise NotImplementedError("Who follows actions depends on each action's item.")
