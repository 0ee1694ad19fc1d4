from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = (
        "Create the local administrator 'admin' with a random password kept in var/admin-password, "
        "and print the credentials. For development machines only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/admin/", help="admin URL to print"
        )

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "admin-password"
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None or not password_file.exists():
            password = get_random_string(16)
            settings.VAR_DIR.mkdir(exist_ok=True)
            password_file.write_text(password)
            user = user or User(username="admin", email="admin@example.org")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        password = password_file.read_text().strip()
        self.stdout.write(
            self.style.SUCCESS(f"Admin: {options['url']}  user: admin  password: {password}")
        )
