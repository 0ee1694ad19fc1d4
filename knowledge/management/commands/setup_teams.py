from django.core.management.base import BaseCommand, CommandError

from knowledge.teams import PROGRAMME_REVIEWERS, TAXONOMY_MANAGERS, NoSections, set_up_teams


class Command(BaseCommand):
    help = (
        "Create each section's editors and moderators groups, 'Programme reviewers', 'Taxonomy "
        "managers', their permissions, collections and the 'Country review' workflows (idempotent). "
        "Run setup_portal first: teams follow the country sections."
    )

    def handle(self, *args, **options):
        try:
            teams = set_up_teams()
        except NoSections as error:
            raise CommandError(str(error)) from error
        for team in teams if options["verbosity"] > 1 else ():
            self.stdout.write(f"{team.editors}, {team.moderators}: workflow '{team.workflow}'")
        self.stdout.write(
            self.style.SUCCESS(
                f"Teams ready: {len(teams)} sections, '{PROGRAMME_REVIEWERS}', '{TAXONOMY_MANAGERS}'."
            )
        )
