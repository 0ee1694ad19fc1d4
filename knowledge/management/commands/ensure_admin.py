from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

#: Demo accounts beside the administrator: (username, group), so the review can be tried by hand.
TEAM_ACCOUNTS = (("mali-editor", "Mali editors"), ("mali-moderator", "Mali moderators"))


class Command(BaseCommand):
    help = (
        "Create the local administrator 'admin' with a random password kept in var/admin-password, "
        "and, when setup_teams has run, the accounts 'mali-editor' and 'mali-moderator' with the same "
        "password; print the credentials. For development machines only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/admin/", help="admin URL to print"
        )

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "admin-password"
        renew = not password_file.exists()
        if renew:
            settings.VAR_DIR.mkdir(exist_ok=True)
            password_file.write_text(get_random_string(16))
        password = password_file.read_text().strip()
        admin = self._account("admin", password, renew)
        admin.is_staff = admin.is_superuser = True
        admin.save()
        usernames = ["admin"]
        for username, group_name in TEAM_ACCOUNTS:
            group = Group.objects.filter(name=group_name).first()
            if group:
                self._account(username, password, renew).groups.add(group)
                usernames.append(username)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: {options['url']}  users: {', '.join(usernames)}  password: {password}"
            )
        )

    def _account(self, username, password, renew):
        """The user ``username``, created if missing; its password is set when new or ``renew``."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None or renew:
            user = user or User(username=username, email=f"{username}@example.org")
            user.set_password(password)
            user.save()
        return user
