"""Background work of the search app, run by the task worker (``manage.py db_worker``)."""

from django_tasks import task
from wagtail.documents import get_document_model

from knowledge.models import KnowledgeAttachment
from search import passage_index, text_index
from search.attachments import texts_of


@task()
def extract_document_text(document_id):
    """Read an uploaded or replaced document's text once (``texts_of``), then bring the
    database's full-text index of the pages it is attached to up to date."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return
    texts_of([document], extract=True)
    pages = KnowledgeAttachment.objects.filter(document=document).values_list("page_id", flat=True)
    text_index.update_pages(pages)


@task()
def embed_pages(page_ids):
    """Bring the passage vectors of ``page_ids`` up to date (``search.passage_index``): embedding
    is too slow for the request that changed the pages."""
    passage_index.update_pages(page_ids)
