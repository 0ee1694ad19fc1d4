"""Create the vocabulary every installation starts with (``vocabulary.seed``), idempotently.

A concept that exists (found by its identifier) is left as editors made it: its labels and links
are written only when the concept is created, so running the setup again never undoes an edit.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from knowledge.teams import TAXONOMY_MANAGERS
from vocabulary import seed
from vocabulary.models import Collection, Concept, ConceptLabel, LabelKind

#: What taxonomy managers may do with concepts (Django's model permissions).
CONCEPT_PERMISSIONS = ("add_concept", "change_concept", "delete_concept")


def set_up_vocabulary():
    """Create the seed concepts that are missing and let taxonomy managers edit concepts;
    returns the number of concepts created."""
    with transaction.atomic():
        created = {}
        for spec in _seed_concepts():
            concept, new = Concept.objects.get_or_create(
                identifier=spec["identifier"],
                defaults={"collection": spec["collection"], "notation": spec.get("notation", "")},
            )
            if new:
                _add_labels(concept, spec["labels"], spec["collection"])
                created[concept.identifier] = (concept, spec)
        _link(created)
        _grant_taxonomy_managers()
        return len(created)


def _seed_concepts():
    for number_and_titles in seed.gcm_objectives():
        number = number_and_titles["number"]
        yield {
            "identifier": seed.gcm_identifier(number),
            "collection": Collection.GCM_OBJECTIVES,
            "notation": f"GCM {number}",
            "labels": {code: [title] for code, title in number_and_titles["titles"].items()},
        }
    for slug, spec in seed.THEMES.items():
        yield {"identifier": slug, "collection": Collection.THEMES, **spec}
    for identifier, spec in seed.TERMS.items():
        yield {"identifier": identifier, "collection": Collection.TERMS, **spec}


def _add_labels(concept, labels, collection):
    rows = []
    for language, texts in labels.items():
        for position, text in enumerate(texts):
            preferred = position == 0 and collection != Collection.THEMES
            kind = LabelKind.PREFERRED if preferred else LabelKind.ALTERNATIVE
            rows.append(
                ConceptLabel(
                    concept=concept, language=language, kind=kind, text=text, sort_order=len(rows)
                )
            )
    ConceptLabel.objects.bulk_create(rows)


def _link(created):
    """Broader and related links of the created concepts (to any concept that exists)."""
    wanted = {
        identifier
        for _concept, spec in created.values()
        for identifier in (*spec.get("broader", ()), *spec.get("related", ()))
    }
    existing = Concept.objects.in_bulk(wanted, field_name="identifier")
    for concept, spec in created.values():
        concept.broader.set([existing[key] for key in spec.get("broader", ()) if key in existing])
        concept.related.set([existing[key] for key in spec.get("related", ()) if key in existing])
        concept.save()


def _grant_taxonomy_managers():
    group, _new = Group.objects.get_or_create(name=TAXONOMY_MANAGERS)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="vocabulary", codename__in=CONCEPT_PERMISSIONS
        )
    )
